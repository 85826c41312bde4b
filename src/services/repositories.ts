import { and, count, eq, ne, notExists, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { managedCondition, mayChange, visibleCondition, type RepositoryStanding } from '../auth/access';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { anyOf, keyOrder, lockRepositories, storable } from '../db/sql';
import { accounts, namespaces, repositories, tags } from '../db/schema';
import { forbidden, notFound, unauthenticated, UnreachableCaseError } from '../errors';
import { isPublicByDefault, LIBRARY } from './namespaces';
import { afterCursor, encodeCursor, keysetOrder, type Order, type Page, type PageArgs } from './pagination';

export type RepositoryScope = 'public' | 'mine' | 'visible';

/** A repository as the registry names it, `namespace/name`, split. */
export interface RepositoryName {
  namespace: string;
  name: string;
}
export type RepositoryOrderField = 'name' | 'createdAt' | 'lastPushedAt';

export interface RepositoryFilter {
  scope: RepositoryScope;
  /** Matches namespace or name, literally (no wildcards), ignoring case. */
  keywords?: string;
}

export type RepositoryOrder = Order<RepositoryOrderField>;

/** A repository with its namespace, as every reader gets it. */
export const repositoryColumns = {
  id: repositories.id,
  name: repositories.name,
  isPublic: repositories.isPublic,
  pullCount: repositories.pullCount,
  pushCount: repositories.pushCount,
  createdAt: repositories.createdAt,
  updatedAt: repositories.updatedAt,
  lastPushedAt: repositories.lastPushedAt,
  namespaceId: namespaces.id,
  namespaceName: namespaces.name,
  namespaceOwnerId: namespaces.ownerId,
};

declare const visible: unique symbol;
/** The id of a repository that passed visibleCondition for the request's viewer: what readers without a viewer take. */
export type VisibleRepositoryId = number & { readonly [visible]: 'repository' };
/** The id of a manifest that a tag of a visible repository points at. */
export type VisibleManifestId = number & { readonly [visible]: 'manifest' };

export interface RepositoryRecord {
  id: VisibleRepositoryId;
  name: string;
  isPublic: boolean;
  pullCount: number;
  pushCount: number;
  createdAt: Date;
  updatedAt: Date;
  lastPushedAt: Date;
  namespaceId: number;
  namespaceName: string;
  namespaceOwnerId: number | null;
}

const ORDER_COLUMNS: Record<RepositoryOrderField, PgColumn> = {
  name: repositories.name,
  createdAt: repositories.createdAt,
  lastPushedAt: repositories.lastPushedAt,
};

/** `namespace/name`, as docker pull and the registry's catalog spell a repository. */
export const repositoryFullName = sql<string>`${namespaces.name} || '/' || ${repositories.name}`;

/** `%`, `_` and `\` are LIKE wildcards; escape them so keywords match literally. */
export const likePattern = (keywords: string) => `%${keywords.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The scope and keywords of a list; its readers add visibleCondition. */
function filterConditions(viewer: Viewer | null, filter: RepositoryFilter): SQL[] {
  const conditions: SQL[] = [];
  switch (filter.scope) {
    case 'public':
      conditions.push(eq(repositories.isPublic, true));
      break;
    case 'mine':
      if (!viewer) throw unauthenticated('sign in to list your repositories');
      conditions.push(managedCondition(viewer));
      break;
    case 'visible':
      break;
    default:
      throw new UnreachableCaseError(filter.scope);
  }
  if (filter.keywords) {
    conditions.push(
      storable(filter.keywords) ? sql`(${repositoryFullName}) ilike ${likePattern(filter.keywords)}` : sql`false`,
    );
  }
  return conditions;
}

/** How a read is sorted and cut, and in which transaction. */
interface ReadShape {
  orderBy?: SQL[];
  limit?: number;
  db?: Db;
}

/** A row as the database returns it, before its ids are known to be visible. */
type Unchecked<Row> = { [K in keyof Row]: Row[K] extends VisibleRepositoryId | VisibleManifestId ? number : Row[K] };

/** visibleCondition held for these rows (read by `visible` below) or for the ids they were read through: the one cast to the brand. */
export const markVisible = <Row>(rows: Unchecked<Row>[]) => rows as Row[];

export class RepositoryService {
  constructor(private readonly db: Db) {}

  /** The repositories `conditions` match that the viewer may see: every reader of records goes through here. */
  private async visible(viewer: Viewer | null, conditions: SQL[], { orderBy = [], limit, db = this.db }: ReadShape = {}): Promise<RepositoryRecord[]> {
    const query = db
      .select(repositoryColumns)
      .from(repositories)
      .innerJoin(namespaces, eq(repositories.namespaceId, namespaces.id))
      .where(and(visibleCondition(viewer), ...conditions))
      .orderBy(...orderBy)
      .$dynamic();
    return markVisible<RepositoryRecord>(await (limit === undefined ? query : query.limit(limit)));
  }

  /** One page of the repositories the viewer may see, in one statement. */
  async list(viewer: Viewer | null, filter: RepositoryFilter, order: RepositoryOrder, page: PageArgs): Promise<Page<RepositoryRecord>> {
    const column = ORDER_COLUMNS[order.field];
    const conditions = filterConditions(viewer, filter);
    if (page.after) conditions.push(afterCursor(page.after, column, repositories.id, order.direction));
    const rows = await this.visible(viewer, conditions, { orderBy: keysetOrder(column, repositories.id, order.direction), limit: page.first + 1 });
    const hasNextPage = rows.length > page.first;
    const nodes = rows.slice(0, page.first);
    return {
      nodes,
      hasNextPage,
      cursorOf: (node) => encodeCursor(sortValue(node, order.field), node.id),
    };
  }

  async count(viewer: Viewer | null, filter: RepositoryFilter): Promise<number> {
    const [{ n }] = await this.db
      .select({ n: count() })
      .from(repositories)
      .innerJoin(namespaces, eq(repositories.namespaceId, namespaces.id))
      .where(and(visibleCondition(viewer), ...filterConditions(viewer, filter)));
    return n;
  }

  /** Repositories by id, those the viewer may not see left out. */
  async byIds(viewer: Viewer | null, ids: readonly number[]): Promise<RepositoryRecord[]> {
    return this.visible(viewer, [anyOf(repositories.id, [...ids])]);
  }

  /**
   * A repository by namespace and name. A private repository the viewer may
   * not see gets the same answer as one that does not exist.
   */
  async find(viewer: Viewer | null, namespace: string, name: string, db: Db = this.db): Promise<RepositoryRecord> {
    if (!storable(namespace) || !storable(name)) throw repositoryNotFound(namespace, name);
    const [row] = await this.visible(viewer, [eq(namespaces.name, namespace), eq(repositories.name, name)], { limit: 1, db });
    if (!row) throw repositoryNotFound(namespace, name);
    return row;
  }

  /** As `find`, for a change: the row is locked and the viewer must manage its namespace. */
  async findForChange(viewer: Viewer | null, namespace: string, name: string, tx: Db): Promise<RepositoryRecord> {
    if (!viewer) throw unauthenticated(`sign in to change ${namespace}/${name}`);
    const repository = await this.find(viewer, namespace, name, tx);
    if (!mayChange(viewer, repository.namespaceOwnerId)) {
      throw forbidden(`only the owner of namespace ${namespace} can change ${namespace}/${name}`);
    }
    // A concurrent change may have removed (or replaced) the repository while this one waited for the lock.
    if ((await lockRepository(tx, namespace, name)) !== repository.id) throw repositoryNotFound(namespace, name);
    return repository;
  }

  /**
   * What Berth knows of each `namespace/name`, keyed so, in one statement
   * however many are asked: the token service decides on these.
   */
  async standings(names: readonly RepositoryName[]): Promise<Map<string, RepositoryStanding>> {
    const rows = names.length
      ? await this.db
          .select({ namespace: namespaces.name, ownerId: namespaces.ownerId, name: repositories.name, isPublic: repositories.isPublic })
          .from(namespaces)
          .leftJoin(repositories, and(eq(repositories.namespaceId, namespaces.id), anyOf(repositories.name, names.map((n) => n.name))))
          .where(anyOf(namespaces.name, names.map((n) => n.namespace)))
      : [];
    const standings = new Map<string, RepositoryStanding>();
    for (const { namespace, name } of names) {
      const namespaceRow = rows.find((row) => row.namespace === namespace);
      const repository = rows.find((row) => row.namespace === namespace && row.name === name);
      standings.set(`${namespace}/${name}`, {
        namespaceOwnerId: namespaceRow ? namespaceRow.ownerId : undefined,
        // One Berth has not seen is private whatever its namespace, so a token cannot tell an unknown name from a private one.
        isPublic: repository?.isPublic ?? false,
      });
    }
    return standings;
  }

  async setPublicity(viewer: Viewer | null, namespace: string, name: string, isPublic: boolean): Promise<RepositoryRecord> {
    return this.db.transaction(async (tx) => {
      const repository = await this.findForChange(viewer, namespace, name, tx);
      const [updated] = await tx
        .update(repositories)
        .set({ isPublic, updatedAt: new Date() })
        .where(eq(repositories.id, repository.id))
        .returning({ isPublic: repositories.isPublic, updatedAt: repositories.updatedAt });
      return { ...repository, ...updated };
    });
  }
}

const repositoryNotFound = (namespace: string, name: string) => notFound(`repository ${namespace}/${name} not found`);

function sortValue(node: RepositoryRecord, field: RepositoryOrderField): string | Date {
  switch (field) {
    case 'name':
      return node.name;
    case 'createdAt':
      return node.createdAt;
    case 'lastPushedAt':
      return node.lastPushedAt;
    default:
      throw new UnreachableCaseError(field);
  }
}

/** A repository left without tags is removed with its manifests and counters, as on the legacy server. */
export async function removeRepositoryIfUntagged(tx: Db, repositoryId: number): Promise<boolean> {
  const [{ left }] = await tx.select({ left: count() }).from(tags).where(eq(tags.repositoryId, repositoryId));
  if (left > 0) return false;
  await tx.delete(repositories).where(eq(repositories.id, repositoryId));
  return true;
}

/** A push the registry reported, as it counts for its repository. */
export interface RepositoryPush extends RepositoryName {
  at: Date;
  /** Only a push by tag counts: the children of an index are pushed by digest before it. */
  byTag: boolean;
  /** The name of the account that pushed (the event's actor), when the registry reported one. */
  pusher?: string;
}

/**
 * The owner of a namespace a push creates: the pusher, unless the pusher is
 * unknown, an admin, or owns a namespace already (one per account), and never
 * for library. With Berth as the registry's token service only admins may push
 * into a namespace nobody owns, so events cannot squat a namespace; an admin's
 * push leaves it ownerless so that it does not use up the admin's one namespace.
 * A scalar subquery, so the insert decides in one statement: no such account is null, no owner.
 */
function ownerOfPushed(tx: Db, namespace: string, pusher: string | undefined): SQL | null {
  if (pusher === undefined || namespace === LIBRARY) return null;
  const owned = tx.select({ id: namespaces.id }).from(namespaces).where(eq(namespaces.ownerId, accounts.id));
  const owner = tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.name, pusher), ne(accounts.role, 'admin'), notExists(owned)));
  return sql`${owner}`;
}

/**
 * Creates the namespaces that are missing, in one statement, and answers the
 * ids of all of them by name. A namespace a push creates gets its owner from
 * its first pusher (ownerOfPushed); an existing namespace keeps its owner.
 * Every row's subquery sees the table as it was before the statement, so a
 * pusher is offered only the first namespace `wanted` names for them, as one
 * account owns one.
 */
async function ensureNamespaces(tx: Db, wanted: { name: string; pusher?: string }[]): Promise<Map<string, number>> {
  const firstPusher = new Map<string, string | undefined>();
  for (const { name, pusher } of wanted) if (!firstPusher.has(name)) firstPusher.set(name, pusher);
  const offered = new Set<string>();
  const rows = [...firstPusher].map(([name, pusher]) => {
    const owner = pusher !== undefined && !offered.has(pusher) ? ownerOfPushed(tx, name, pusher) : null;
    if (owner) offered.add(pusher!);
    return { name, ownerId: owner };
  });
  rows.sort((a, b) => keyOrder(a.name, b.name));
  // A pusher who gets a namespace concurrently elsewhere fails this on the unique owner; the registry's retry then makes it ownerless.
  await tx.insert(namespaces).values(rows).onConflictDoNothing({ target: namespaces.name });
  const found = await tx.select({ id: namespaces.id, name: namespaces.name }).from(namespaces).where(anyOf(namespaces.name, [...firstPusher.keys()]));
  return new Map(found.map((row) => [row.name, row.id]));
}

/**
 * The repositories a delivery's pushes name, created with their namespaces
 * when missing, in one statement per table whatever the number of pushes.
 * Each counts its pushes by tag and moves its times (deliveries arrive out of
 * order, so the earliest creation and the latest push win). Rows go in name
 * order, so two processes lock them in the same order. Ids by `namespace/name`.
 */
export async function upsertPushedRepositories(tx: Db, pushes: RepositoryPush[]): Promise<Map<string, number>> {
  const namespaceIds = await ensureNamespaces(tx, pushes.map((push) => ({ name: push.namespace, pusher: push.pusher })));
  const byName = new Map<string, { namespace: string; name: string; pushCount: number; first: Date; last: Date }>();
  for (const push of pushes) {
    const key = `${push.namespace}/${push.name}`;
    const row = byName.get(key) ?? { namespace: push.namespace, name: push.name, pushCount: 0, first: push.at, last: push.at };
    row.pushCount += push.byTag ? 1 : 0;
    if (push.at < row.first) row.first = push.at;
    if (push.at > row.last) row.last = push.at;
    byName.set(key, row);
  }
  const rows = [...byName.entries()].sort(([a], [b]) => keyOrder(a, b));
  const upserted = await tx
    .insert(repositories)
    .values(
      rows.map(([, row]) => ({
        namespaceId: namespaceIds.get(row.namespace)!,
        name: row.name,
        isPublic: isPublicByDefault(row.namespace),
        pushCount: row.pushCount,
        createdAt: row.first,
        updatedAt: row.last,
        lastPushedAt: row.last,
      })),
    )
    .onConflictDoUpdate({
      target: [repositories.namespaceId, repositories.name],
      set: {
        pushCount: sql`${repositories.pushCount} + excluded.push_count`,
        lastPushedAt: sql`greatest(${repositories.lastPushedAt}, excluded.last_pushed_at)`,
        createdAt: sql`least(${repositories.createdAt}, excluded.created_at)`,
        updatedAt: sql`greatest(${repositories.updatedAt}, excluded.updated_at)`,
      },
    })
    .returning({ id: repositories.id, namespaceId: repositories.namespaceId, name: repositories.name });
  const namespaceOf = new Map([...namespaceIds].map(([name, id]) => [id, name]));
  return new Map(upserted.map((row) => [`${namespaceOf.get(row.namespaceId)}/${row.name}`, row.id]));
}

/** A repository sync found, created with its namespace when missing; its id when this created it, null when it existed. */
export async function addRepository(tx: Db, namespace: string, name: string): Promise<number | null> {
  const namespaceIds = await ensureNamespaces(tx, [{ name: namespace }]);
  const [row] = await tx
    .insert(repositories)
    .values({ namespaceId: namespaceIds.get(namespace)!, name, isPublic: isPublicByDefault(namespace) })
    .onConflictDoNothing({ target: [repositories.namespaceId, repositories.name] })
    .returning({ id: repositories.id });
  return row?.id ?? null;
}


/**
 * Locks a repository, by namespace and name, until the transaction ends:
 * its lock (lockRepositories), then its row; null when there is none.
 */
export async function lockRepository(tx: Db, namespace: string, name: string): Promise<number | null> {
  await lockRepositories(tx, [`${namespace}/${name}`]);
  const [row] = await tx
    .select({ id: repositories.id })
    .from(repositories)
    .innerJoin(namespaces, eq(repositories.namespaceId, namespaces.id))
    .where(and(eq(namespaces.name, namespace), eq(repositories.name, name)))
    .for('update', { of: repositories });
  return row?.id ?? null;
}
