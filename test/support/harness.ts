import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { Viewer } from '../../src/auth/viewer';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/client';
import { buildApp, type App } from '../../src/server';

export interface TestServer {
  url: string;
  app: App;
  database: Database;
  /** Every SQL statement run since the last `statements.length = 0`. */
  statements: string[];
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Settings by their environment variable names (e.g. REGISTRY_URL), read as src/config.ts reads them; the test process's own environment is not consulted. */
  env?: NodeJS.ProcessEnv;
  /** Open the embedded PGlite database in this folder (one a CLI command wrote, say) instead of a fresh one; it is left in place on close. */
  dataDir?: string;
  /** Use this PostgreSQL database as it is, so several servers can share it; it is neither created nor dropped. */
  databaseUrl?: string;
}

/**
 * A Berth on port 0 over a database of its own: in-memory PGlite, or a fresh
 * database on the PostgreSQL server at DATABASE_URL that is dropped on close.
 */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const config = loadConfig({ BERTH_BODY_LIMIT: String(64 * 1024), BERTH_DB_POOL_SIZE: '5', LOG_LEVEL: 'silent', ...options.env });
  const driver = options.databaseUrl || (process.env.BERTH_TEST_DRIVER === 'postgres' && !options.dataDir) ? 'postgres' : 'pglite';
  const statements: string[] = [];
  let dropDatabase = async () => {};
  let databaseUrl = options.databaseUrl;
  if (driver === 'postgres' && !databaseUrl) {
    const name = `berth_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await onServer(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => onServer(`drop database if exists ${name} with (force)`);
  }
  const database = await openDatabase({
    databaseUrl,
    dataDir: options.dataDir ?? 'memory://',
    poolSize: config.databasePoolSize,
    prepare: config.databasePrepare,
    onQuery: (q) => statements.push(q),
  });
  let app: App;
  try {
    await database.migrate();
    app = await buildApp({ config, database });
    await app.http.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    // A server that could not start leaves nothing behind to keep the test run alive.
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
    async close() {
      await app.http.close();
      await database.close();
      await dropDatabase();
    },
  };
}

/** Runs one statement on the PostgreSQL server at DATABASE_URL over a connection of its own, closed right after. */
async function onServer(statement: string): Promise<void> {
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}

export const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

/** Creates an account that owns a namespace of the same name; returns its Authorization header. */
export async function addUser(server: TestServer, name: string, role: Viewer['role'] = 'user'): Promise<string> {
  const password = `${name}-password`;
  await server.app.services.accounts.register({ name, password, role, withNamespace: true });
  return basic(name, password);
}

export async function graphql<T = any>(server: TestServer, query: string, variables?: Record<string, unknown>, authorization?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } };
}
