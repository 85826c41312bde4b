import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();
/** Counters can pass 2^31 on a busy registry; JavaScript numbers stay exact far beyond that. */
const counter = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

export const accountRole = pgEnum('account_role', ['admin', 'user']);

/** What a personal access token may do: `read` pulls and reads; `write` also pushes, deletes and changes. */
export const accessTokenPermission = pgEnum('access_token_permission', ['read', 'write']);

export const accounts = pgTable('accounts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: accountRole('role').notNull().default('user'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Personal access tokens for scripts and CI. Only the SHA-256 of the secret
 * is kept: the secret is random (256 bits), so a slow hash adds nothing.
 */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull().unique(),
    permission: accessTokenPermission('permission').notNull().default('read'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date', precision: 3 }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date', precision: 3 }),
  },
  (t) => [index('access_tokens_account_id_idx').on(t.accountId, t.createdAt)],
);

/**
 * Recent failed sign-ins, one row per failure, keyed by what was attacked
 * (`account:<name>` or `address:<ip>`). Kept in the database so every Berth
 * process sharing it applies the same limit.
 */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: serial('id').primaryKey(),
    subject: text('subject').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_failures_subject_failed_at_idx').on(t.subject, t.failedAt)],
);

/**
 * The keys that sign the registry's tokens. The current one signs; a retired
 * one stays in the registry's certificate bundle for one token lifetime, so
 * the tokens it signed stay valid. Kept in the database so every Berth
 * process sharing it signs with the same key.
 */
export const tokenSigningKeys = pgTable(
  'token_signing_keys',
  {
    id: serial('id').primaryKey(),
    /** PKCS #8 PEM; read only by the signer, never logged or answered. */
    privateKey: text('private_key').notNull(),
    /** The self-signed X.509 certificate of the public key, PEM: what the registry's rootcertbundle holds. */
    certificate: text('certificate').notNull(),
    createdAt: createdAt(),
    /** When a rotation replaced it; null for the current key. */
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date', precision: 3 }),
  },
  // One current key, even when two processes create the first at once.
  (t) => [uniqueIndex('token_signing_keys_current_key').on(sql`(true)`).where(sql`${t.retiredAt} is null`)],
);

/**
 * The secrets the registry's webhook deliveries must carry (`Authorization:
 * Bearer <secret>`). Berth makes the first on first start; a rotation makes a
 * new current one and retires the old, which is still accepted until the
 * rotation is finished or its overlap ends. Kept in the database so every
 * Berth process sharing it accepts the same deliveries.
 */
export const webhookSecrets = pgTable(
  'webhook_secrets',
  {
    id: serial('id').primaryKey(),
    /** Printed into the registry's config; never logged or answered otherwise. */
    secret: text('secret').notNull(),
    createdAt: createdAt(),
    /** When a rotation replaced it; null for the current secret. */
    retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date', precision: 3 }),
  },
  // One current secret, even when two processes create the first at once.
  (t) => [uniqueIndex('webhook_secrets_current_secret').on(sql`(true)`).where(sql`${t.retiredAt} is null`)],
);

/**
 * A namespace is owned by one account. `library` has no owner: it belongs to
 * every admin, as it did on the legacy server.
 */
export const namespaces = pgTable(
  'namespaces',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull().unique(),
    ownerId: integer('owner_id').references(() => accounts.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('namespaces_owner_id_key').on(t.ownerId)],
);

export const repositories = pgTable(
  'repositories',
  {
    id: serial('id').primaryKey(),
    namespaceId: integer('namespace_id')
      .notNull()
      .references(() => namespaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    isPublic: boolean('is_public').notNull().default(false),
    pullCount: counter('pull_count'),
    pushCount: counter('push_count'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastPushedAt: timestamp('last_pushed_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('repositories_namespace_id_name_key').on(t.namespaceId, t.name),
    index('repositories_public_created_idx').on(t.isPublic, t.createdAt.desc(), t.id.desc()),
    index('repositories_name_idx').on(t.name, t.id),
  ],
);

/** A descriptor as the OCI image spec defines it (config, layer, or child manifest). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
}

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
}

/** One entry of the image config's history, kept for the legacy schema-1 view. */
export interface HistoryEntry {
  created?: string;
  createdBy?: string;
  emptyLayer: boolean;
  comment?: string;
}

export const manifests = pgTable(
  'manifests',
  {
    id: serial('id').primaryKey(),
    repositoryId: integer('repository_id')
      .notNull()
      .references(() => repositories.id, { onDelete: 'cascade' }),
    digest: text('digest').notNull(),
    mediaType: text('media_type').notNull(),
    schemaVersion: integer('schema_version').notNull().default(2),
    /** Config size plus the sum of layer sizes; for an index, the sum over its children. */
    size: bigint('size', { mode: 'number' }).notNull().default(0),
    config: jsonb('config').$type<Descriptor | null>(),
    layers: jsonb('layers').$type<Descriptor[]>().notNull().default([]),
    /** Child manifests of a multi-arch index, with their platforms. */
    children: jsonb('children').$type<Descriptor[]>().notNull().default([]),
    architecture: text('architecture'),
    os: text('os'),
    history: jsonb('history').$type<HistoryEntry[]>().notNull().default([]),
    pullCount: counter('pull_count'),
    pushCount: counter('push_count'),
    createdAt: createdAt(),
    /** When the body and config were last read from the registry; null until then. */
    fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'date', precision: 3 }),
    /**
     * When a worker should (re)try fetching the body and config; null when
     * nothing is pending. Workers claim due rows with FOR UPDATE SKIP LOCKED.
     */
    fetchDueAt: timestamp('fetch_due_at', { withTimezone: true, mode: 'date', precision: 3 }),
    fetchAttempts: integer('fetch_attempts').notNull().default(0),
    /** Why the last fetch failed, for operators. */
    fetchError: text('fetch_error'),
  },
  (t) => [
    uniqueIndex('manifests_repository_id_digest_key').on(t.repositoryId, t.digest),
    index('manifests_fetch_due_at_idx').on(t.fetchDueAt).where(sql`${t.fetchDueAt} is not null`),
    check('manifests_digest_format', sql`${t.digest} ~ '^[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$'`),
  ],
);

export const tags = pgTable(
  'tags',
  {
    id: serial('id').primaryKey(),
    repositoryId: integer('repository_id')
      .notNull()
      .references(() => repositories.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    manifestId: integer('manifest_id')
      .notNull()
      .references(() => manifests.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** When the tag last received a push; the newest one is the repository's latest tag. */
    pushedAt: timestamp('pushed_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tags_repository_id_name_key').on(t.repositoryId, t.name),
    index('tags_repository_id_pushed_at_idx').on(t.repositoryId, t.pushedAt.desc(), t.id.desc()),
    index('tags_manifest_id_idx').on(t.manifestId),
  ],
);

/** Every registry event Berth has recorded, keyed by the registry's own event id. */
export const registryEvents = pgTable(
  'registry_events',
  {
    id: text('id').primaryKey(),
    action: text('action').notNull(),
    repository: text('repository').notNull(),
    digest: text('digest'),
    tag: text('tag'),
    mediaType: text('media_type'),
    method: text('method'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    payload: jsonb('payload').notNull(),
    /**
     * A counted pull whose manifest Berth did not know yet (deliveries come in
     * any order): counted when the manifest appears, by apply_pending_pulls
     * (drizzle/0006_pending_pulls.sql).
     */
    pullPending: boolean('pull_pending').notNull().default(false),
  },
  (t) => [
    index('registry_events_repository_idx').on(t.repository, t.occurredAt),
    index('registry_events_pending_pulls_idx').on(t.repository, t.digest).where(sql`${t.pullPending}`),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type AccessToken = typeof accessTokens.$inferSelect;
export type AccessTokenPermission = (typeof accessTokenPermission.enumValues)[number];
export type Namespace = typeof namespaces.$inferSelect;
export type Repository = typeof repositories.$inferSelect;
export type Manifest = typeof manifests.$inferSelect;
export type Tag = typeof tags.$inferSelect;
