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
    ['PORT', '0x10'],
    ['PORT', '1e3'],
    ['PORT', ' 80'],
    ['BERTH_DB_POOL_SIZE', '0'],
    ['BERTH_BODY_LIMIT', '10'],
    ['BERTH_DEMO', 'maybe'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://root@localhost/registry'],
    ['BERTH_URL', 'berth.example.com'],
    ['BERTH_URL', 'ftp://berth.example.com'],
    ['BERTH_URL', 'https://berth.example.com/?x=1'],
    ['BERTH_TOKEN_TTL', '59'],
    ['BERTH_TOKEN_TTL', '86401'],
    ['BERTH_TOKEN_SERVICE', 'my registry'],
    ['BERTH_TOKEN_ISSUER', 'issuer"quoted'],
  ])('%s=%p fails fast with a message naming the variable', (name, value) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`^${name}\\b`));
  });

  test('an error message quotes the value it refused', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/"abc"/);
  });

  test('the token service: its URL from HOST and PORT, a five-minute lifetime, and paths made absolute', () => {
    expect(loadConfig({}).publicUrl).toBe('http://127.0.0.1:2375');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ HOST: '::1' }).publicUrl).toBe('http://[::1]:2375');
    expect(loadConfig({ BERTH_URL: 'https://berth.example.com/' }).publicUrl).toBe('https://berth.example.com');
    expect(loadConfig({}).token).toEqual({ service: 'berth-registry', issuer: 'berth', ttlSeconds: 300, keyFile: undefined, certificateFile: undefined });
    expect(loadConfig({ BERTH_TOKEN_KEY_FILE: 'k.pem', BERTH_TOKEN_CERT_FILE: 'c.pem' }).token).toMatchObject({ keyFile: path.resolve('k.pem'), certificateFile: path.resolve('c.pem') });
  });

  test('a token key file needs its certificate, and the other way round', () => {
    expect(() => loadConfig({ BERTH_TOKEN_KEY_FILE: 'k.pem' })).toThrow(/BERTH_TOKEN_KEY_FILE and BERTH_TOKEN_CERT_FILE must be set together/);
    expect(() => loadConfig({ BERTH_TOKEN_CERT_FILE: 'c.pem' })).toThrow(/must be set together/);
  });
});
