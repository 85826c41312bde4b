import { ConfigError, loadConfig } from '../../src/config';

describe('access settings', () => {
  test('CORS is off, the sign-in limit is 10 per 15 minutes, and no proxy is trusted by default', () => {
    expect(loadConfig({})).toMatchObject({ corsOrigins: [], signIn: { maxFailures: 10, windowSeconds: 900 }, trustProxy: false });
  });

  test('BERTH_CORS_ORIGINS is a comma-separated list of origins', () => {
    expect(loadConfig({ BERTH_CORS_ORIGINS: 'https://ui.example.com, http://localhost:5173' }).corsOrigins).toEqual([
      'https://ui.example.com',
      'http://localhost:5173',
    ]);
  });

  test.each(['https://ui.example.com/', 'ui.example.com', 'ftp://x.example', '*'])('BERTH_CORS_ORIGINS refuses %j', (origin) => {
    expect(() => loadConfig({ BERTH_CORS_ORIGINS: origin })).toThrow(ConfigError);
  });

  test.each([
    ['true', true],
    ['off', false],
    ['10.0.0.1, 10.1.0.0/16', '10.0.0.1,10.1.0.0/16'],
  ])('BERTH_TRUST_PROXY=%j', (raw, expected) => {
    expect(loadConfig({ BERTH_TRUST_PROXY: raw }).trustProxy).toBe(expected);
  });

  test('BERTH_TRUST_PROXY refuses a host name', () => {
    expect(() => loadConfig({ BERTH_TRUST_PROXY: 'proxy.internal' })).toThrow(/BERTH_TRUST_PROXY/);
  });

  test('BERTH_SIGNIN_MAX_FAILURES must be a positive integer', () => {
    expect(() => loadConfig({ BERTH_SIGNIN_MAX_FAILURES: '0' })).toThrow(/BERTH_SIGNIN_MAX_FAILURES/);
  });
});
