import 'reflect-metadata';
import { ensureAdmin } from './auth/accounts';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/client';
import { loadDemo } from './demo';
import { buildApp } from './server';

async function main() {
  const config = loadConfig();
  const database = await openDatabase(config);
  await database.migrate();
  const { generatedPassword } = await ensureAdmin(database.db, config.adminPassword);
  const demoLoaded = config.demo && (await loadDemo(database.db));
  const { http } = await buildApp({ config, database });

  const shutdown = async (signal: string) => {
    http.log.info({ signal }, 'shutting down');
    await http.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await http.listen({ port: config.port, host: config.host });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const lines = [
    '',
    `Berth is listening on ${base} (${database.driver === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'})`,
    `  GraphQL:  ${base}/graphql`,
    `  REST:     ${base}/registry/v1`,
  ];
  if (generatedPassword) lines.push('', `Created account "admin" with password: ${generatedPassword}`, '  (shown once; set BERTH_ADMIN_PASSWORD to choose it)');
  if (demoLoaded) lines.push('', 'Loaded the demo data set. Try:');
  lines.push(
    `  curl ${base}/registry/v1/repositories/public`,
    `  curl ${base}/registry/v1/tag/list/library/registry`,
    `  curl ${base}/registry/v1/manifests/v3/library/registry`,
    `  curl -H 'Content-Type: application/json' -d '{"query":"{ repositories(first: 5) { nodes { fullName latestTag { name } } } }"}' ${base}/graphql`,
    '',
  );
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `berth: ${error.message}` : error);
  process.exit(1);
});
