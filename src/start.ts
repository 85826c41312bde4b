import type { FastifyInstance } from 'fastify';
import { startBanner } from './banner';
import { runAction } from './cli/actions';
import { ConfigError, httpUrl, type Config } from './config';
import { controlSocketOf } from './control/protocol';
import { openControlChannel, type ControlChannel } from './control/server';
import { openDatabase, type Database } from './db/client';
import { loadDemo } from './demo';
import { buildApp, type App } from './server';
import { StartupError } from './startup-error';
import { errorCode } from './system-error';

export interface RunningBerth {
  url: string;
  http: FastifyInstance;
  database: Database;
  /** Stops taking commands and connections, finishes requests in flight, then closes the database. */
  close(): Promise<void>;
}

/** How long a SIGTERM waits for requests in flight before closing their connections. */
const SHUTDOWN_GRACE_MS = 30_000;

type Settings = Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize' | 'databasePrepare' | 'statementTimeoutMs'>;

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
    if (code === '28P01' || code === '28000') return new StartupError(`${server} refused the credentials: ${detail}`, { cause: error });
    if (code === '3D000') return new StartupError(`${server} has no such database: ${detail}`, { cause: error });
    return new StartupError(`cannot reach ${server}: ${detail}${code && typeof code === 'string' && !detail.includes(code) ? ` (${code})` : ''}`, { cause: error });
  }
  const folder = `the data folder ${config.dataDir} (BERTH_DATA_DIR / --data-dir)`;
  if (code === 'ELOCKED') {
    return new StartupError(
      `${folder} is in use by another Berth process (lock ${config.dataDir}.lock); stop that one, or give this one another folder (a lock left by a Berth that was killed expires within 20 s)`,
      { cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new StartupError(`${folder} is not readable and writable: ${detail}`, { cause: error });
  if (code === 'ENOTDIR' || code === 'EEXIST') return new StartupError(`${folder} is not a folder: ${detail}`, { cause: error });
  return new StartupError(`cannot open the embedded database in ${folder}: ${detail}`, { cause: error });
}

/** Opens the configured database and applies the migrations; a failure is a StartupError saying what to fix. */
export async function openMigratedDatabase(config: Settings): Promise<Database> {
  let database: Database;
  try {
    database = await openDatabase({ ...config, poolSize: config.databasePoolSize, prepare: config.databasePrepare, statementTimeoutMs: config.statementTimeoutMs });
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

async function listen(http: FastifyInstance, config: Config): Promise<string> {
  await http.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
    throw listenFailure(error, config);
  });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return httpUrl(config.host, port);
}

/**
 * Takes the command line's commands while the server runs (control/protocol.ts
 * says why). Only embedded PGlite needs it: on PostgreSQL a command opens the
 * database itself, beside any number of servers.
 */
async function controlChannelOf({ http, services }: App, database: Database, config: Config): Promise<ControlChannel | null> {
  if (database.driver !== 'pglite') return null;
  const socket = controlSocketOf(config.dataDir);
  if (!socket) {
    http.log.warn(`the path of the control socket beside ${config.dataDir} is too long for a socket: commands cannot reach this server while it runs; a shorter BERTH_DATA_DIR fixes that`);
    return null;
  }
  return openControlChannel(socket, (request, progress, signal) => runAction(request.command, request.args, { services, database, config, signal, progress }), http.log);
}

/**
 * Opens and migrates the database, listens for HTTP and for commands, then
 * loads the demo data and creates the first account. Nothing is written
 * before everything that can fail at start has succeeded, so a failed start
 * (a port taken, say) leaves no admin whose generated password nobody saw;
 * whatever had started is closed again.
 */
export async function startBerth(config: Config): Promise<RunningBerth & { generatedPassword?: string; demoLoaded: boolean }> {
  const database = await openMigratedDatabase(config);
  let app: App | undefined;
  let control: ControlChannel | null = null;
  const close = async () => {
    await control?.close();
    // Closing Fastify stops the registry workers, before the database goes.
    await app?.http.close();
    await database.close();
  };
  try {
    app = await buildApp({ config, database });
    app.readiness.starting = true;
    const url = await listen(app.http, config);
    control = await controlChannelOf(app, database, config);
    // A key file that cannot sign stops Berth here; a generated key is made now rather than on the first pull.
    await app.services.registryTokens.keys.signer();
    // Likewise the webhook secret, so the registry config printed now holds the one deliveries need.
    await app.services.webhookSecrets.current();
    // The demo before the admin, who then owns the demo's namespace admin: the generated password is the last thing made, just before it is shown.
    const demoLoaded = config.demo && (await loadDemo(database.db));
    const { generatedPassword } = await app.services.accounts.ensureAdmin(config.adminPassword);
    app.readiness.starting = false;
    return { url, http: app.http, database, close, generatedPassword, demoLoaded };
  } catch (error) {
    await close().catch(() => {});
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

  process.stdout.write(`${startBanner(config, { ...berth, driver: berth.database.driver })}\n`);
}

/** The last word of an entry point: a known mistake as one line, anything else with its stack; exit 1. */
export function exitOnError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof StartupError) console.error(`berth: ${error.message}`);
  else console.error(error);
  process.exit(1);
}
