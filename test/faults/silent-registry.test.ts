import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { buildBerth, runBerth, type BerthProcess } from '../support/berth-process';
import { basic } from '../support/harness';
import { until } from '../support/poll';
import { byFile, CAPTURED_SECRET } from '../support/registry-events';
import { migratedDataDir } from '../support/templates';

/**
 * A registry that accepts connections and never answers: a delete fails
 * within the operation's deadline with a 503 and Retry-After, the failures
 * are logged once, counted, and shown by /readyz, and SIGTERM stops Berth
 * while its manifest worker waits on the registry.
 */
interface SilentRegistry {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

async function startSilentRegistry(): Promise<SilentRegistry> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const ADMIN = basic('admin', 'admin-password');
const PUSH = JSON.parse(byFile('0003').body).events[0];

/** Delivers a push of library/hello:`tag`, which queues its manifest for fetching from the registry. */
async function push(url: string, tag: string) {
  const body = JSON.stringify({ events: [{ ...PUSH, id: randomUUID(), target: { ...PUSH.target, tag } }] });
  const response = await fetch(`${url}/registry/v1/notifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CAPTURED_SECRET}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
    body,
  });
  expect(response.status).toBe(200);
}

async function start(registry: SilentRegistry, env: Record<string, string>): Promise<{ berth: BerthProcess; url: string }> {
  const berth = runBerth(['serve', '--port', '0', '--data-dir', await migratedDataDir(), '--no-demo'], {
    REGISTRY_URL: registry.url,
    BERTH_WEBHOOK_SECRET: CAPTURED_SECRET,
    LOG_LEVEL: 'warn',
    ...env,
  });
  return { berth, url: await berth.listening };
}

let registry: SilentRegistry;
beforeAll(async () => {
  buildBerth();
  registry = await startSilentRegistry();
});
afterAll(() => registry?.close());

test('a delete fails within the deadline with 503 and Retry-After, logged once, counted, and shown by /readyz', async () => {
  const { berth, url } = await start(registry, { REGISTRY_DEADLINE_MS: '2000' });
  try {
    await push(url, 'doomed');
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      const response = await fetch(`${url}/registry/v1/manifests/doomed/library/hello`, { method: 'DELETE', headers: { authorization: ADMIN } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ code: 14013, message: expect.stringContaining('delete_manifest got no answer within its 2000 ms deadline') });
    }
    // Nothing changed in Berth.
    const tags = await (await fetch(`${url}/registry/v1/tag/list/library/hello`, { headers: { authorization: ADMIN } })).json();
    expect(JSON.stringify(tags)).toContain('doomed');

    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', registry: { state: 'failing', outcome: 'deadline' } });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/berth_registry_operations_total\{operation="delete_manifest",outcome="deadline"\} 2/);
    // The two deletes and the manifest worker's fetches failed; one warning, within the minute.
    const warnings = berth.stdout().split('\n').filter((line) => line.includes('registry operation failed'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, registry: { outcome: 'deadline', cause: expect.stringContaining('deadline') } });
  } finally {
    berth.child.kill('SIGTERM');
    await berth.exited;
  }
});

test('SIGTERM stops Berth within its grace while the manifest worker waits on the registry', async () => {
  // Deadlines far beyond the 30 s grace: only the shutdown's abort can end the worker's wait in time.
  const { berth, url } = await start(registry, { REGISTRY_DEADLINE_MS: '600000', REGISTRY_TIMEOUT_MS: '600000' });
  const before = registry.connections();
  await push(url, 'waiting');
  expect(await until(async () => registry.connections() > before)).toBe(true);
  const started = Date.now();
  berth.child.kill('SIGTERM');
  expect(await berth.exited).toEqual({ code: 0, signal: null });
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(berth.stdout()).not.toContain('requests still running');
});
