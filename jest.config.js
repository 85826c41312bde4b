/**
 * One integration suite, run once per database driver: always on embedded
 * PGlite, and on the PostgreSQL server at DATABASE_URL when one is given.
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

const project = (driver, testMatch) => ({
  displayName: driver,
  transform,
  testEnvironment: 'node',
  testMatch,
  setupFiles: [`<rootDir>/test/support/driver-${driver}.ts`],
});

const projects = [
  { ...project('pglite', ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts']), displayName: 'pglite' },
];
if (process.env.DATABASE_URL) projects.push(project('postgres', ['<rootDir>/test/integration/**/*.test.ts']));

module.exports = { projects, testTimeout: 60_000 };
