import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type ParameterOrJSON, type Sql, type UnsafeQueryOptions } from 'postgres';
import lockfile from 'proper-lockfile';
import * as schema from './schema';
import { countStatement } from './statement-stats';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Most connections the client opens at once (1 for PGlite). */
  poolSize: number;
  /** Applies the committed drizzle migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** True when the database answers a query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL of a server; when absent Berth runs on embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Folder for embedded PGlite; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** Prepare each statement once per PostgreSQL connection (default); off for PgBouncer in transaction mode. */
  prepare?: boolean;
  /** Longest a statement may run on PostgreSQL, in ms (0: no limit); PGlite cannot interrupt a statement, so there the query limits alone bound it. */
  statementTimeoutMs?: number;
  /** Sees every SQL statement; tests use it to count statements per request. */
  onQuery?: (query: string) => void;
  /** Count statements per HTTP request (BERTH_SQL_STATS), when no `onQuery` is given. */
  sqlStats?: boolean;
}

export const MIGRATIONS_FOLDER = path.resolve(__dirname, '../../drizzle');

/** An arbitrary constant that serialises concurrent migrations of processes sharing one server. */
const MIGRATION_LOCK_KEY = 0x62657274;

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const onQuery = options.onQuery ?? (options.sqlStats ? countStatement : undefined);
  const logger: Logger | undefined = onQuery && { logQuery: (query) => onQuery(query) };
  if (options.databaseUrl) return openPostgres(options.databaseUrl, { max: options.poolSize ?? 10, prepare: options.prepare ?? true, statementTimeoutMs: options.statementTimeoutMs ?? 0 }, logger);
  return openPglite(options.dataDir, logger);
}

/**
 * Seconds a connection waits before reconnecting after a failure. postgres.js
 * grows the wait with every failure up to 20 s, so a database back after a
 * few seconds' outage went unused for ten more; a short wait, with jitter so
 * the pool's connections do not retry in step, serves again within a second.
 */
const reconnectDelaySeconds = () => 0.25 + Math.random() * 0.25;

/**
 * Seconds to open a connection before the attempt fails. While the database
 * is unreachable a request waits for one attempt, then answers 503: with
 * postgres.js's 30 s default (Berth had 10) requests hung past the
 * registry's webhook timeout, which then sent again.
 */
const CONNECT_TIMEOUT_SECONDS = 2;

interface PoolSettings {
  max: number;
  prepare: boolean;
  statementTimeoutMs: number;
}

async function openPostgres(url: string, { max, prepare, statementTimeoutMs }: PoolSettings, logger: Logger | undefined): Promise<Database> {
  // The timeout is a session setting sent as each connection opens (migrations use a connection of their own, without it).
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: CONNECT_TIMEOUT_SECONDS, backoff: reconnectDelaySeconds, connection: { statement_timeout: statementTimeoutMs } });
  const db = drizzlePostgres(prepare ? preparingEveryStatement(client) : client, { schema, logger }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    poolSize: max,
    async migrate() {
      // One connection, so the session lock and the migration share it.
      const single = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres(single), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await single.end();
      }
    },
    ping: () => client`select 1`.then(() => true, () => false),
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * drizzle runs a statement unnamed unless it was built with `.prepare()`, and
 * postgres.js then describes it before every run: two round trips, and
 * PostgreSQL parses and plans the same text each time. Berth's statement
 * texts do not vary with the data (a list travels as one array parameter, see
 * db/sql.ts), so each is prepared once per connection and reused, inside
 * transactions too.
 */
function preparingEveryStatement<T extends Sql>(client: T): T {
  const run = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  // A transaction's (or savepoint's) own client prepares its statements too.
  const within = (method: string) => (...args: unknown[]) => {
    const body = args.pop() as (tx: Sql) => unknown;
    return run[method](...args, (tx: Sql) => body(preparingEveryStatement(tx)));
  };
  const overrides: Record<string | symbol, unknown> = {
    unsafe: (query: string, parameters?: ParameterOrJSON<never>[], options?: UnsafeQueryOptions) => client.unsafe(query, parameters, { ...options, prepare: true }),
    begin: within('begin'),
    savepoint: within('savepoint'),
  };
  return new Proxy(client, { get: (target, key, receiver) => (key in overrides ? overrides[key] : Reflect.get(target, key, receiver)) });
}

/**
 * PGlite's buffer cache lives in the process's own memory and, once filled,
 * stays resident: PostgreSQL's default 128 MB would be most of Berth's
 * footprint. The operating system's page cache keeps the folder's hot pages
 * as well, so a smaller one costs little.
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=32MB'];

/** A held lock is refreshed every 5 s; one untouched for 20 s was left by a process that died. */
const DATA_DIR_LOCK = { stale: 20_000, update: 5_000 };

async function openPglite(dataDir: string, logger: Logger | undefined): Promise<Database> {
  let unlock = async () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
    // PGlite is one process's database: a second process writing the same folder would corrupt it.
    // The lock is `<dataDir>.lock`, beside the folder, so PGlite's own files stay untouched.
    unlock = await lockfile.lock(dataDir, DATA_DIR_LOCK);
  }
  const client = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] }).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  const db = drizzlePglite(client, { schema, logger }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    poolSize: 1,
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: () => client.query('select 1').then(() => true, () => false),
    // Closing checkpoints PGlite, so the next start finds a clean folder.
    close: async () => {
      await client.close();
      await unlock();
    },
  };
}
