import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from './config';
import { openDatabase, type Database } from './db/client';
import { loadDemo } from './demo';
import { buildApp } from './server';

/** A start-up mistake the operator can fix; printed as one line, without a stack. */
export class StartupError extends Error {}

export interface RunningBerth {
  url: string;
  http: FastifyInstance;
  database: Database;
  /** Stops accepting connections, finishes requests in flight, then closes the database. */
  close(): Promise<void>;
}

/** How long a SIGTERM waits for requests in flight before closing their connections. */
const SHUTDOWN_GRACE_MS = 30_000;

type Settings = Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize' | 'databasePrepare'>;

const errorCode = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** The database URL with its password hidden, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** Why the database could not be opened, in the operator's terms. */
function databaseFailure(error: unknown, config: Settings): StartupError {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (config.databaseUrl) {
    const server = `the PostgreSQL server at ${redacted(config.databaseUrl)} (DATABASE_URL / --database-url)`;
    if (code === '28P01' || code === '28000') return new StartupError(`${server} refused the credentials: ${detail}`);
    if (code === '3D000') return new StartupError(`${server} has no such database: ${detail}`);
    return new StartupError(`cannot reach ${server}: ${detail}${code && typeof code === 'string' && !detail.includes(code) ? ` (${code})` : ''}`);
  }
  const folder = `the data folder ${config.dataDir} (BERTH_DATA_DIR / --data-dir)`;
  if (code === 'ELOCKED') {
    return new StartupError(`${folder} is in use by another Berth process (lock ${config.dataDir}.lock); stop that one, or give this one another folder (a lock left by a Berth that was killed expires within 20 s)`);
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new StartupError(`${folder} is not readable and writable: ${detail}`);
  if (code === 'ENOTDIR' || code === 'EEXIST') return new StartupError(`${folder} is not a folder: ${detail}`);
  return new StartupError(`cannot open the embedded database in ${folder}: ${detail}`);
}

/** Opens the configured database and applies the migrations; a failure is a StartupError saying what to fix. */
export async function openMigratedDatabase(config: Settings): Promise<Database> {
  let database: Database;
  try {
    database = await openDatabase({ ...config, poolSize: config.databasePoolSize, prepare: config.databasePrepare });
  } catch (error) {
    throw databaseFailure(error, config);
  }
  try {
    await database.migrate();
    return database;
  } catch (error) {
    await database.close().catch(() => {});
    throw databaseFailure(error, config);
  }
}

function listenFailure(error: unknown, config: Config): unknown {
  const address = `${config.host}:${config.port}`;
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return new StartupError(`port ${config.port} on ${config.host} is already in use (another Berth?); choose another with PORT / --port`);
    case 'EACCES':
      return new StartupError(`not allowed to listen on ${address}; ports below 1024 need privileges, choose another with PORT / --port`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(`cannot listen on ${address}: ${config.host} is not an address of this machine (HOST / --host)`);
    default:
      return error;
  }
}

/** Opens and migrates the database, prepares the first account and the demo data, and listens. */
export async function startBerth(config: Config): Promise<RunningBerth & { generatedPassword?: string; demoLoaded: boolean }> {
  const database = await openMigratedDatabase(config);
  try {
    const { http, services } = await buildApp({ config, database });
    const { generatedPassword } = await services.accounts.ensureAdmin(config.adminPassword);
    const demoLoaded = config.demo && (await loadDemo(database.db));
    await http.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
      await http.close();
      throw listenFailure(error, config);
    });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const close = async () => {
      await http.close();
      await database.close();
    };
    return { url, http, database, close, generatedPassword, demoLoaded };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/**
 * Runs Berth until SIGTERM or SIGINT: then it stops accepting connections,
 * lets requests in flight finish (closing their connections after a grace
 * period), closes the database so PGlite checkpoints, and exits 0.
 */
export async function serve(config: Config): Promise<void> {
  const berth = await startBerth(config);
  const log = berth.http.log;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      log.warn(`requests still running after ${SHUTDOWN_GRACE_MS / 1000} s; closing their connections`);
      berth.http.server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    let code = 0;
    try {
      await berth.close();
      log.info('stopped');
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      code = 1;
    }
    clearTimeout(force);
    process.exit(code);
  };
  // A second signal while requests drain exits at once.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const { url, database, generatedPassword, demoLoaded } = berth;
  const lines = [
    '',
    `Berth is listening on ${url} (${database.driver === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'})`,
    `  GraphiQL: ${url}/graphql (in a browser)`,
    `  GraphQL:  POST ${url}/graphql`,
    `  REST:     ${url}/registry/v1`,
    `  Health:   ${url}/healthz, ${url}/readyz, ${url}/metrics`,
  ];
  if (generatedPassword) lines.push('', `Created account "admin" with password: ${generatedPassword}`, '  (shown once; set BERTH_ADMIN_PASSWORD to choose it)');
  if (demoLoaded) lines.push('', 'Loaded the demo data set. Try:');
  lines.push(
    `  curl ${url}/registry/v1/repositories/public`,
    `  curl ${url}/registry/v1/tag/list/library/registry`,
    `  curl ${url}/registry/v1/manifests/v3/library/registry`,
    `  curl -H 'Content-Type: application/json' -d '{"query":"{ repositories(first: 5) { nodes { fullName latestTag { name } } } }"}' ${url}/graphql`,
    '',
  );
  process.stdout.write(lines.join('\n') + '\n');
}

/** The last word of an entry point: a known mistake as one line, anything else with its stack; exit 1. */
export function exitOnError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof StartupError) console.error(`berth: ${error.message}`);
  else console.error(error);
  process.exit(1);
}
