import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  test('defaults to embedded PostgreSQL on port 2375 with the demo data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 2375, host: '127.0.0.1', databaseUrl: undefined, demo: true, dataDir: path.resolve('.data/pglite') });
  });

  test('a PostgreSQL server loads no demo data unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db', BERTH_DEMO: 'yes' }).demo).toBe(true);
  });

  test.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['BERTH_DB_POOL_SIZE', '0'],
    ['BERTH_BODY_LIMIT', '10'],
    ['BERTH_DEMO', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://root@localhost/registry'],
  ])('%s=%p fails fast with a message naming the variable', (name, value) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`^${name}\\b`));
  });

  test('an error message quotes the value it refused', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/"abc"/);
  });
});
