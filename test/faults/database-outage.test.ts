import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { buildBerth, runBerth, type BerthProcess } from '../support/berth-process';
import { byFile, CAPTURED_SECRET } from '../support/registry-events';
import { sleep, until } from '../support/poll';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';

/**
 * PostgreSQL stopping under load, on a cluster of the suite's own: Berth
 * stays up, answers 503 with Retry-After while the database is gone, loses
 * no event it acknowledged, and serves again once it is back.
 */
let cluster: PrivatePostgres;
let berth: BerthProcess;
let url: string;
beforeAll(async () => {
  buildBerth();
  cluster = await startPrivatePostgres();
  berth = runBerth(['serve', '--port', '0'], { DATABASE_URL: cluster.url, BERTH_WEBHOOK_SECRET: CAPTURED_SECRET, LOG_LEVEL: 'warn' });
  url = await berth.listening;
  expect(await until(async () => (await fetch(`${url}/readyz`)).status === 200)).toBe(true);
});
afterAll(async () => {
  // A Berth that exited on its own failed the tests; what it said is the reason.
  if (berth && berth.child.exitCode !== null) process.stderr.write(`Berth exited ${berth.child.exitCode}:\n${berth.stderr().slice(-4000)}\n${berth.stdout().slice(-4000)}\n`);
  if (berth && berth.child.exitCode === null) {
    berth.child.kill('SIGKILL');
    await berth.exited;
  }
  cluster?.remove();
});

const PUSH = JSON.parse(byFile('0003').body).events[0];

interface Answer {
  status: number;
  retryAfter: string | null;
  code?: unknown;
}

/** A legacy reader, a GraphQL reader and two webhook senders, until stopped; every delivery answered 200 is remembered. */
function load() {
  let running = true;
  const answers: Answer[] = [];
  const acknowledged: string[] = [];
  const reader = async () => {
    while (running) {
      const response = await fetch(`${url}/registry/v1/repositories/public`).catch(() => null);
      if (response) answers.push({ status: response.status, retryAfter: response.headers.get('retry-after'), code: ((await response.json().catch(() => ({}))) as { code?: unknown }).code });
      await sleep(20);
    }
  };
  const sender = async () => {
    while (running) {
      const id = randomUUID();
      const body = JSON.stringify({ events: [{ ...PUSH, id, timestamp: new Date().toISOString(), target: { ...PUSH.target, tag: `t-${id.slice(0, 8)}` } }] });
      const response = await fetch(`${url}/registry/v1/notifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CAPTURED_SECRET}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
        body,
      }).catch(() => null);
      if (response?.status === 200) acknowledged.push(id);
      else if (response) answers.push({ status: response.status, retryAfter: response.headers.get('retry-after') });
      await sleep(20);
    }
  };
  const graphqlReader = async () => {
    while (running) {
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ repositories(first: 5) { totalCount } }' }) }).catch(() => null);
      if (response) answers.push({ status: response.status, retryAfter: response.headers.get('retry-after'), code: ((await response.json().catch(() => ({}))) as { errors?: { extensions?: { code?: unknown } }[] }).errors?.[0]?.extensions?.code });
      await sleep(20);
    }
  };
  const workers = [reader(), graphqlReader(), sender(), sender()];
  return {
    answers,
    acknowledged,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

test.each(['fast', 'kill'] as const)('PostgreSQL stopped (%s) under load: Berth stays up, answers 503 with Retry-After, loses no acknowledged event, and recovers', async (how) => {
  const traffic = load();
  try {
    await sleep(1_000);
    cluster.stop(how);
    // Requests already past the database when it stopped may still answer 200; those that start half a second later may not.
    await sleep(500);
    const outageStarted = traffic.answers.length;
    await sleep(2_500);
    expect(berth.child.exitCode).toBeNull();
    const duringOutage = traffic.answers.slice(outageStarted);
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(duringOutage.filter((answer) => answer.status !== 503 || !(Number(answer.retryAfter) >= 1))).toEqual([]);
    expect(duringOutage.some((answer) => answer.code === 'DATABASE_UNAVAILABLE')).toBe(true);
    cluster.start();
    const back = Date.now();
    expect(await until(async () => (await fetch(`${url}/registry/v1/repositories/public`)).status === 200)).toBe(true);
    process.stdout.write(`first good read ${Date.now() - back} ms after PostgreSQL was back (${how})\n`);
    await sleep(500);
  } finally {
    await traffic.stop();
    if (!cluster.running()) cluster.start();
  }
  expect(berth.child.exitCode).toBeNull();
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ id: string }[]>`select id from registry_events where id = any(${traffic.acknowledged})`;
    expect(rows.length).toBe(traffic.acknowledged.length);
  } finally {
    await sql.end();
  }
});

test('a connection dropped inside a transaction fails that request alone: Berth stays up and its pool serves on', async () => {
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  const id = randomUUID();
  const body = JSON.stringify({ events: [{ ...PUSH, id, timestamp: new Date().toISOString() }] });
  const deliver = () =>
    fetch(`${url}/registry/v1/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CAPTURED_SECRET}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
      body,
    });
  // An uncommitted insert of the same event id holds Berth's transaction inside its insert, waiting on the lock.
  const holder = await sql.reserve();
  try {
    await holder`begin`;
    await holder`insert into registry_events (id, action, repository, occurred_at, payload) values (${id}, 'push', 'held/back', now(), '{}')`;
    let delivery = deliver();
    let answered = false;
    // The backend blocked by the holder's transaction: Berth's, in its insert (pg_stat_activity's query text may still be the previous one).
    const waiting = async () => (await holder`select pid from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))`)[0]?.pid;
    const blocked = async () => {
      if ((await waiting()) !== undefined) return true;
      // Answered before it reached the lock (a pool connection the outages above left behind failed it): send it again.
      if (answered) [answered, delivery] = [false, deliver()];
      void delivery.then(() => (answered = true));
      return false;
    };
    expect(await until(blocked)).toBe(true);
    // As a DBA, or a failover, ends a session: the backend goes with Berth's transaction open.
    await holder`select pg_terminate_backend(${await waiting()})`;
    const response = await delivery;
    await holder`rollback`;
    const answer = { status: response.status, retryAfter: response.headers.get('retry-after') };
    expect(answer).toMatchObject({ status: 503, retryAfter: '1' });
    // Alive, and every connection of its pool usable: more requests than the pool has connections, at once.
    expect(berth.child.exitCode).toBeNull();
    const reads = await Promise.all(Array.from({ length: 30 }, () => fetch(`${url}/registry/v1/repositories/public`)));
    expect(reads.map((r) => r.status)).toEqual(Array(30).fill(200));
    const redelivered = await deliver();
    expect(redelivered.status).toBe(200);
    expect(berth.child.exitCode).toBeNull();
  } finally {
    holder.release();
    await sql.end();
  }
});
