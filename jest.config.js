const { execFileSync } = require('node:child_process');

/**
 * One integration suite, run once per database driver: always on embedded
 * PGlite, and on the PostgreSQL server at DATABASE_URL when one is given.
 * End-to-end (real registry) and browser suites join when their tools are
 * installed, and are required when CI=true, so CI cannot pass by skipping them.
 */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    },
  ],
};

const project = (displayName, testMatch, driver = 'pglite') => ({
  displayName,
  transform,
  testEnvironment: 'node',
  testMatch,
  setupFiles: [`<rootDir>/test/support/driver-${driver}.ts`],
});

const has = (command) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const required = process.env.CI === 'true';
const optional = (name, tools, testMatch) => {
  const missing = tools.filter((t) => !has(t));
  if (missing.length === 0 || required) return [project(name, testMatch)];
  process.stderr.write(`jest: skipping the ${name} suite: ${missing.join(', ')} not installed (see README)\n`);
  return [];
};

const integration = ['<rootDir>/test/integration/**/*.test.ts'];
const projects = [project('pglite', ['<rootDir>/test/unit/**/*.test.ts', ...integration])];
if (process.env.DATABASE_URL) projects.push(project('postgres', integration, 'postgres'));
else process.stderr.write('jest: DATABASE_URL is not set, so the integration suite runs on PGlite only\n');
projects.push(...optional('e2e', ['docker-registry', 'skopeo', 'openssl'], ['<rootDir>/test/e2e/**/*.test.ts']));
projects.push(...optional('browser', ['chromium'], ['<rootDir>/test/browser/**/*.test.ts']));
// PostgreSQL's own binaries (initdb, pg_ctl) start a private cluster that the fault suite stops and kills.
projects.push(...optional('faults', ['/usr/lib/postgresql/*/bin/initdb'], ['<rootDir>/test/faults/**/*.test.ts']));

module.exports = {
  projects,
  // Migrated template databases, made once per run (test/support/templates.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // One worker per core and one more: much of a run waits on child processes, registries and retry delays
  // rather than on PGlite's CPU, and on 2 cores 3 workers beat 2 (jest's default here is 1, in band).
  maxWorkers: Math.max(2, require('node:os').availableParallelism() + 1),
  // A deadline only turns a hang into a failure: room for four waits of PATIENCE_MS (test/support/patience.ts) in a row.
  testTimeout: 480_000,
};
