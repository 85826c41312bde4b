import { desc } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { bigint, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { MIGRATIONS_FOLDER, type Database } from '../db/client';
import { databasePoolMax } from './metrics';
import type { RegistryWatch } from './registry-watch';

/** drizzle's own record of applied migrations (schema `drizzle`, as its migrator writes it). */
const appliedMigrations = pgSchema('drizzle').table('__drizzle_migrations', {
  id: serial('id').primaryKey(),
  hash: text('hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }),
});

/** A readiness probe should answer quickly even when the database hangs. */
const PROBE_TIMEOUT_MS = 2_000;

const NOT_MIGRATED = 'database is not migrated: run `berth migrate`, or restart `berth serve`, which migrates';

/** Why the database cannot serve requests yet, or undefined when it can. */
async function unreadiness(database: Database, latestMigration: number, log: FastifyBaseLogger): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    const [last] = await Promise.race([
      database.db.select({ createdAt: appliedMigrations.createdAt }).from(appliedMigrations).orderBy(desc(appliedMigrations.createdAt)).limit(1),
      timeout,
    ]);
    if (!last || (last.createdAt ?? 0) < latestMigration) return NOT_MIGRATED;
    return undefined;
  } catch (error) {
    // drizzle wraps the driver's error; 42P01/3F000: no migrations table (or schema) yet.
    const code = ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string })).code;
    if (code === '42P01' || code === '3F000') return NOT_MIGRATED;
    // The cause (host names, driver messages) goes to the log, not to whoever probes.
    log.warn({ err: error }, 'readiness probe: database unreachable');
    return 'database is unreachable';
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the process is still starting up; set by start.ts around its start-up steps. */
export interface Readiness {
  starting: boolean;
}

/**
 * GET /healthz: the process answers. GET /readyz: start-up has finished, the
 * database answers and holds every migration; 503 otherwise. With a registry
 * configured, either answer tells how Berth's latest call to it ended, as
 * information: reads are served whatever the registry does.
 */
export function healthRoutes(http: FastifyInstance, database: Database, readiness: Readiness, registry: RegistryWatch | null): void {
  const latestMigration = Math.max(0, ...readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.folderMillis));
  databasePoolMax.set({ driver: database.driver }, database.poolSize);
  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get('/readyz', async (request, reply) => {
    const reason = readiness.starting ? 'starting: the admin account and keys are not ready yet' : await unreadiness(database, latestMigration, request.log);
    const upstream = registry ? { registry: registry.state() } : {};
    if (reason) return reply.code(503).send({ status: 'unavailable', reason, ...upstream });
    return { status: 'ready', ...upstream };
  });
}
