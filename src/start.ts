import type { FastifyInstance } from 'fastify';
import { ensureAdmin } from './auth/accounts';
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

/** Opens and migrates the database, prepares the first account and the demo data, and listens. */
export async function startBerth(config: Config): Promise<RunningBerth & { generatedPassword?: string; demoLoaded: boolean }> {
  const database = await openDatabase(config);
  try {
    await database.migrate();
    const { generatedPassword } = await ensureAdmin(database.db, config.adminPassword);
    const demoLoaded = config.demo && (await loadDemo(database.db));
    const { http } = await buildApp({ config, database });
    await http.listen({ port: config.port, host: config.host });
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

/** Runs Berth until SIGTERM or SIGINT, then shuts down gracefully and exits 0. */
export async function serve(config: Config): Promise<void> {
  const berth = await startBerth(config);
  const shutdown = async (signal: string) => {
    berth.http.log.info({ signal }, 'shutting down');
    await berth.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  const { url, database, generatedPassword, demoLoaded } = berth;
  const lines = [
    '',
    `Berth is listening on ${url} (${database.driver === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'})`,
    `  GraphQL:  ${url}/graphql`,
    `  REST:     ${url}/registry/v1`,
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
