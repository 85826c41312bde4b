import { ConfigError, loadConfig } from '../../src/config';

test('without REGISTRY_URL there is no registry and no periodic sync, and the webhook requires the secret Berth generates', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ registry: undefined, webhookSecret: undefined, webhookAuth: true, syncIntervalSeconds: 0 });
});

test('the registry settings are read together, and the demo data is off by default with a registry', () => {
  const config = loadConfig({
    REGISTRY_URL: 'http://127.0.0.1:5000',
    REGISTRY_USERNAME: 'berth',
    REGISTRY_PASSWORD: 'secret',
    REGISTRY_TIMEOUT_MS: '2500',
    BERTH_WEBHOOK_SECRET: 'webhook-secret',
    BERTH_SYNC_INTERVAL: '300',
  });
  expect(config).toMatchObject({
    registry: { url: 'http://127.0.0.1:5000', username: 'berth', password: 'secret', timeoutMs: 2500 },
    webhookSecret: 'webhook-secret',
    syncIntervalSeconds: 300,
    demo: false,
  });
});

test.each([
  [{ REGISTRY_URL: 'registry:5000' }, /REGISTRY_URL \(--registry-url\) must be an http:\/\/ or https:\/\/ URL/],
  [{ REGISTRY_URL: 'http://r', REGISTRY_USERNAME: 'berth' }, /REGISTRY_USERNAME and REGISTRY_PASSWORD must be set together/],
  [{ BERTH_SYNC_INTERVAL: '-1' }, /BERTH_SYNC_INTERVAL/],
])('a bad registry setting stops Berth with a message naming it (%o)', (env, message) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(message);
});
