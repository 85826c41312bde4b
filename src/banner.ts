import path from 'node:path';
import type { Config } from './config';

/** What a started Berth tells the operator. */
export interface Started {
  url: string;
  driver: 'pglite' | 'postgres';
  generatedPassword?: string;
  demoLoaded: boolean;
}

/** The default data folder, as the README's commands (run from Berth's folder) find it. */
const DEFAULT_DATA_DIR = '.data/pglite';

/**
 * A command line the operator can paste: `npm run berth` rather than a bare
 * `berth`, which is on no PATH after `npm install` (and `npx berth`, outside
 * Berth's folder, would fetch a stranger's package). It names the data folder
 * when it is not the default one.
 */
export function commandLine(config: Pick<Config, 'databaseUrl' | 'dataDir'>, words: string): string {
  const command = `npm run berth -- ${words}`;
  if (config.databaseUrl) return `${command} (with the same DATABASE_URL)`;
  return path.relative(process.cwd(), config.dataDir) === DEFAULT_DATA_DIR ? command : `${command} --data-dir ${config.dataDir}`;
}

/** The lines printed once Berth listens: where everything is, the admin's password on a first start, and what to try. */
export function startBanner(config: Config, { url, driver, generatedPassword, demoLoaded }: Started): string {
  const lines = [
    '',
    `Berth is listening on ${url} (${driver === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server'})`,
    `  Home:     ${url}/ (in a browser: what is where)`,
    `  GraphiQL: ${url}/graphql (in a browser)`,
    `  GraphQL:  POST ${url}/graphql`,
    `  REST:     ${url}/registry/v1`,
    `  Health:   ${url}/healthz, ${url}/readyz, ${url}/metrics`,
    '  Commands: npm run berth -- --help (accounts, sync, registry config, token rotate; they work while Berth runs)',
    '',
  ];
  const recovery = `${commandLine(config, 'account passwd admin')} prints a new one, while Berth runs too`;
  if (generatedPassword) {
    lines.push(`Created account "admin" with password: ${generatedPassword}`, `  (shown once; set BERTH_ADMIN_PASSWORD to choose it; lost: ${recovery})`);
  } else {
    lines.push('Sign in as "admin" with the password shown on the first start (or BERTH_ADMIN_PASSWORD, if it was set then).', `  Lost it? ${recovery}.`);
  }
  const signedIn = `admin:${generatedPassword ?? 'PASSWORD'}`;
  lines.push(
    '',
    demoLoaded ? 'Loaded the demo data set. Try:' : 'Try:',
    `  curl ${url}/registry/v1/repositories/public`,
    `  curl ${url}/registry/v1/tag/list/library/registry`,
    `  curl ${url}/registry/v1/manifests/latest/library/registry`,
    `  curl -u ${signedIn} ${url}/registry/v1/repositories/mine`,
    `  curl -H 'Content-Type: application/json' -d '{"query":"{ repositories(first: 5) { nodes { fullName latestTag { name } } } }"}' ${url}/graphql`,
    '',
  );
  return lines.join('\n');
}
