import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { buildBerth, runBerth, type BerthProcess } from '../support/berth-process';
import { until } from '../support/poll';
import { byFile, CAPTURED_SECRET } from '../support/registry-events';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { migratedDataDir } from '../support/templates';

/**
 * The registry retries and reorders its deliveries: thousands of them,
 * shuffled so that most pulls come before their push, a third of them
 * delivered twice, to two Berth processes at once, must leave every counter
 * equal to the distinct events. The note of each run prints what was sent
 * and what was found.
 */
const PUSH = JSON.parse(byFile('0003').body).events[0];
const PULL = JSON.parse(byFile('0044').body).events[0];
const REPOSITORIES = 50;
const TAGS = 2;

/** A seeded generator (mulberry32), so a failing order can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Plan {
  /** One-event envelopes in delivery order, re-deliveries included. */
  deliveries: string[];
  pushes: Map<string, number>;
  repositoryPulls: Map<string, number>;
  manifestPulls: Map<string, number>;
}

/** `unique` distinct events (a push of each tag, the rest pulls), plus `duplicates` re-deliveries, shuffled. */
function plan(unique: number, duplicates: number, seed: number): Plan {
  const next = random(seed);
  const events: object[] = [];
  const pushes = new Map<string, number>();
  const repositoryPulls = new Map<string, number>();
  const manifestPulls = new Map<string, number>();
  const at = Date.now() - 60_000;
  const targets = Array.from({ length: REPOSITORIES * TAGS }, (_, i) => ({
    repository: `order/app-${Math.floor(i / TAGS)}`,
    tag: `v${i % TAGS}`,
    digest: `sha256:${(i + 1).toString(16).padStart(64, '0')}`,
  }));
  for (const [i, target] of targets.entries()) {
    events.push({ ...PUSH, id: randomUUID(), timestamp: new Date(at + i).toISOString(), target: { ...PUSH.target, ...target } });
    pushes.set(target.repository, (pushes.get(target.repository) ?? 0) + 1);
  }
  while (events.length < unique) {
    const target = targets[Math.floor(next() * targets.length)];
    events.push({ ...PULL, id: randomUUID(), target: { ...PULL.target, ...target } });
    repositoryPulls.set(target.repository, (repositoryPulls.get(target.repository) ?? 0) + 1);
    manifestPulls.set(target.digest, (manifestPulls.get(target.digest) ?? 0) + 1);
  }
  const deliveries = events.map((event) => JSON.stringify({ events: [event] }));
  for (let i = 0; i < duplicates; i++) deliveries.push(deliveries[Math.floor(next() * unique)]);
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  return { deliveries, pushes, repositoryPulls, manifestPulls };
}

/** Delivers every envelope, `senders` at a time, spread over the Berth URLs; each must be acknowledged. */
async function deliverAll(urls: string[], deliveries: string[], senders: number): Promise<void> {
  let next = 0;
  const sender = async (n: number) => {
    while (next < deliveries.length) {
      const body = deliveries[next++];
      const response = await fetch(`${urls[n % urls.length]}/registry/v1/notifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CAPTURED_SECRET}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
        body,
      });
      if (response.status !== 200) throw new Error(`a delivery answered ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: senders }, (_, n) => sender(n)));
}

/** What Berth counted, read through GraphQL as an admin. */
async function counted(url: string) {
  const query = `{ repositories(first: ${REPOSITORIES + 10}, keywords: "order") { nodes { fullName pushCount pullCount tags(first: 10) { nodes { digest pullCount } } } } }`;
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('admin:admin-password').toString('base64')}` },
    body: JSON.stringify({ query }),
  });
  const { data } = (await response.json()) as { data: { repositories: { nodes: { fullName: string; pushCount: number; pullCount: number; tags: { nodes: { digest: string; pullCount: number }[] } }[] } } };
  const pushes = new Map<string, number>();
  const repositoryPulls = new Map<string, number>();
  const manifestPulls = new Map<string, number>();
  for (const repository of data.repositories.nodes) {
    pushes.set(repository.fullName, repository.pushCount);
    repositoryPulls.set(repository.fullName, repository.pullCount);
    for (const tag of repository.tags.nodes) manifestPulls.set(tag.digest, tag.pullCount);
  }
  return { pushes, repositoryPulls, manifestPulls };
}

const sorted = (map: Map<string, number>) => [...map].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));

async function expectExact(url: string, sent: Plan, label: string) {
  const found = await counted(url);
  const total = (map: Map<string, number>) => [...map.values()].reduce((sum, n) => sum + n, 0);
  process.stdout.write(
    `${label}: sent ${sent.deliveries.length} deliveries of ${total(sent.pushes) + total(sent.repositoryPulls)} distinct events ` +
      `(${total(sent.pushes)} pushes, ${total(sent.repositoryPulls)} pulls); counted ${total(found.pushes)} pushes, ${total(found.repositoryPulls)} repository pulls, ${total(found.manifestPulls)} manifest pulls\n`,
  );
  expect(sorted(found.pushes)).toEqual(sorted(sent.pushes));
  expect(sorted(found.repositoryPulls)).toEqual(sorted(sent.repositoryPulls));
  expect(sorted(found.manifestPulls)).toEqual(sorted(sent.manifestPulls));
}

const stop = async (...processes: BerthProcess[]) => {
  for (const berth of processes) {
    berth.child.kill('SIGTERM');
    await berth.exited;
  }
};

beforeAll(() => buildBerth());

test('two processes on one PostgreSQL: 5,000 shuffled deliveries, 30% of them repeats, count every distinct event once', async () => {
  const cluster: PrivatePostgres = await startPrivatePostgres();
  const env = { DATABASE_URL: cluster.url, BERTH_WEBHOOK_SECRET: CAPTURED_SECRET, LOG_LEVEL: 'warn' };
  const processes = [runBerth(['serve', '--port', '0', '--no-demo'], env), runBerth(['serve', '--port', '0', '--no-demo'], env)];
  try {
    const urls = await Promise.all(processes.map((berth) => berth.listening));
    for (const url of urls) expect(await until(async () => (await fetch(`${url}/readyz`)).status === 200)).toBe(true);
    const sent = plan(3_500, 1_500, 28);
    await deliverAll(urls, sent.deliveries, 8);
    await expectExact(urls[0], sent, 'PostgreSQL, 2 processes');
    const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
    try {
      const [{ stored, pending }] = await sql`select count(*)::int as stored, count(*) filter (where pull_pending)::int as pending from registry_events`;
      expect({ stored, pending }).toEqual({ stored: 3_500, pending: 0 });
    } finally {
      await sql.end();
    }
  } finally {
    await stop(...processes);
    cluster.remove();
  }
});

test('embedded PGlite, one process: 2,000 shuffled deliveries, 30% of them repeats, count every distinct event once', async () => {
  const berth = runBerth(['serve', '--port', '0', '--data-dir', await migratedDataDir(), '--no-demo'], { BERTH_WEBHOOK_SECRET: CAPTURED_SECRET, LOG_LEVEL: 'warn' });
  try {
    const url = await berth.listening;
    const sent = plan(1_400, 600, 29);
    await deliverAll([url], sent.deliveries, 4);
    await expectExact(url, sent, 'PGlite, 1 process');
  } finally {
    await stop(berth);
  }
});
