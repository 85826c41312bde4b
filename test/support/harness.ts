import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { generateTokenSecret, hashTokenSecret } from '../../src/auth/credentials';
import type { Viewer } from '../../src/auth/viewer';
import { runAction } from '../../src/cli/actions';
import { loadConfig, type Config } from '../../src/config';
import { controlSocketOf } from '../../src/control/protocol';
import { openControlChannel, type ControlChannel } from '../../src/control/server';
import { openDatabase, type Database } from '../../src/db/client';
import { accessTokens, accounts, type AccessTokenPermission } from '../../src/db/schema';
import { buildApp, type App } from '../../src/server';
import { CAPTURED_SECRET } from './registry-events';
import { createTestDatabase, dropTestDatabase, migratedDataDir } from './templates';

export interface TestServer {
  url: string;
  app: App;
  database: Database;
  /** Every SQL statement run since the last `statements.length = 0`. */
  statements: string[];
  driver: 'pglite' | 'postgres';
  /** The PGlite data folder (for the command line's BERTH_DATA_DIR); undefined on PostgreSQL. */
  dataDir?: string;
  /** The PostgreSQL database (for the command line's DATABASE_URL); undefined on PGlite. */
  databaseUrl?: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Settings by their environment variable names (e.g. REGISTRY_URL), read as src/config.ts reads them; the test process's own environment is not consulted. */
  env?: NodeJS.ProcessEnv;
  /** Open the embedded PGlite database in this folder (one a CLI command wrote, say) instead of a fresh one; it is left in place on close. */
  dataDir?: string;
  /** Use this PostgreSQL database as it is, so several servers can share it; it is neither created nor dropped. */
  databaseUrl?: string;
  /** This driver whatever the jest project's (a PostgreSQL one needs DATABASE_URL). */
  driver?: 'pglite' | 'postgres';
  /**
   * On PGlite, take the command line's commands through the control socket
   * beside the data folder while running, as `berth serve` does, so that
   * `berth … --data-dir <dataDir>` runs in this server.
   */
  controlSocket?: boolean;
}

/**
 * A Berth on port 0 (on PORT when the env names one, so BERTH_URL's default
 * names this server) over a database of its own: PGlite in a copy of the run's
 * migrated data folder, or on the PostgreSQL server at DATABASE_URL a database
 * created from the run's migrated template; either is removed on close.
 */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  // Deliveries carry the captured registry's secret unless a test sets another (or '' for one Berth generates).
  const config = loadConfig({ BERTH_BODY_LIMIT: String(64 * 1024), BERTH_DB_POOL_SIZE: '5', LOG_LEVEL: 'silent', BERTH_WEBHOOK_SECRET: CAPTURED_SECRET, ...options.env });
  const driver = options.driver ?? (options.databaseUrl || (process.env.BERTH_TEST_DRIVER === 'postgres' && !options.dataDir) ? 'postgres' : 'pglite');
  const statements: string[] = [];
  let dropDatabase = async () => {};
  let databaseUrl = options.databaseUrl;
  let dataDir = options.dataDir;
  if (driver === 'postgres' && !databaseUrl) {
    const created = await createTestDatabase();
    databaseUrl = created.url;
    dropDatabase = () => dropTestDatabase(created.name);
  } else if (driver === 'pglite' && !dataDir) {
    dataDir = await migratedDataDir();
    const copy = path.dirname(dataDir);
    dropDatabase = () => rm(copy, { recursive: true, force: true });
  }
  const database = await openDatabase({
    databaseUrl,
    dataDir: dataDir ?? 'memory://',
    poolSize: config.databasePoolSize,
    prepare: config.databasePrepare,
    statementTimeoutMs: config.statementTimeoutMs,
    onQuery: (q) => statements.push(q),
  });
  let app: App | undefined;
  let control: ControlChannel | null = null;
  try {
    // A copy of the template is up to date already; this is the check Berth makes when it starts.
    await database.migrate();
    app = await buildApp({ config, database });
    await app.http.listen({ port: options.env?.PORT ? config.port : 0, host: '127.0.0.1' });
    if (options.controlSocket && driver === 'pglite') control = await takeCommands(app, database, config, dataDir!);
  } catch (error) {
    // A server that could not start leaves nothing behind to keep the test run alive.
    await app?.http.close();
    await database.close();
    await dropDatabase();
    throw error;
  }
  const address = app.http.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  statements.length = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    database,
    statements,
    driver,
    dataDir: driver === 'pglite' ? dataDir : undefined,
    databaseUrl: driver === 'postgres' ? databaseUrl : undefined,
    async close() {
      try {
        await control?.close();
        await app.http.close();
        await database.close();
      } finally {
        await dropDatabase();
      }
    },
  };
}

/** The control channel `berth serve` opens beside its data folder (src/start.ts), running each command in this server. */
async function takeCommands(app: App, database: Database, config: Config, dataDir: string): Promise<ControlChannel> {
  const socket = controlSocketOf(dataDir);
  if (!socket) throw new Error(`the data folder ${dataDir} is too deep for a control socket`);
  const { services } = app;
  return openControlChannel(socket, (request, progress, signal) => runAction(request.command, request.args, { services, database, config, signal, progress }), app.http.log);
}

export const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

/**
 * Creates an account (password `${name}-password`) that owns a namespace of
 * the same name, and returns a Bearer header with an access token of its own:
 * a Basic sign-in costs one scrypt per request, a token one index probe.
 * The token may write (as the password may), unless `permission` says read.
 * Tests about Basic sign-in itself use `addBasicUser`.
 */
export async function addUser(server: TestServer, name: string, role: Viewer['role'] = 'user', permission: AccessTokenPermission = 'write'): Promise<string> {
  const { account } = await server.app.services.accounts.register({ name, password: `${name}-password`, role, withNamespace: true });
  return `Bearer ${await insertToken(server, account.id, permission)}`;
}

/** Another access token of the account `name`, as createToken makes one; returns its secret (`berth_…`), which also signs in as the password. */
export async function addToken(server: TestServer, name: string, permission: AccessTokenPermission): Promise<string> {
  const [account] = await server.database.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, name));
  if (!account) throw new Error(`no account ${name}`);
  return insertToken(server, account.id, permission);
}

async function insertToken(server: TestServer, accountId: number, permission: AccessTokenPermission): Promise<string> {
  const secret = generateTokenSecret();
  await server.database.db.insert(accessTokens).values({ accountId, name: 'test harness', secretHash: hashTokenSecret(secret), permission });
  return secret;
}

/** Like `addUser`, but returns a Basic header with the account's password, for tests of password sign-in. */
export async function addBasicUser(server: TestServer, name: string, role: Viewer['role'] = 'user'): Promise<string> {
  const password = `${name}-password`;
  await server.app.services.accounts.register({ name, password, role, withNamespace: true });
  return basic(name, password);
}

export async function graphql<T = any>(server: TestServer, query: string, variables?: Record<string, unknown>, authorization?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } };
}
