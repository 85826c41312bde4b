import { request } from 'node:http';
import { loadConfig } from '../../src/config';
import { buildApp, type App } from '../../src/server';
import { MAX_ACCOUNT_DELAY_SECONDS } from '../../src/auth/throttle';
import { addBasicUser, basic, graphql, startServer, type TestServer } from '../support/harness';
import { buildBerth, runBerth } from '../support/berth-process';
import { suite } from '../support/drivers';
import { passes } from '../support/poll';

const MAX_FAILURES = 3;
// Failures count for an hour, so however slowly this machine answers, none leaves the window while a test runs;
// the window's end is tested on a server of its own, below.
const WINDOW_SECONDS = 3600;

let server: TestServer;
/** A second Berth process over the same database, as behind a load balancer. */
let sibling: App;
let siblingUrl: string;
beforeAll(async () => {
  const env = { BERTH_SIGNIN_MAX_FAILURES: String(MAX_FAILURES), BERTH_SIGNIN_WINDOW_SECONDS: String(WINDOW_SECONDS) };
  server = await startServer({ env });
  sibling = await buildApp({ config: loadConfig({ ...env, LOG_LEVEL: 'silent' }), database: server.database });
  await sibling.http.listen({ port: 0, host: '127.0.0.1' });
  siblingUrl = `http://127.0.0.1:${(sibling.http.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await sibling?.http.close();
  await server?.close();
});

/** GET /repositories/mine as `authorization`, from a chosen loopback address (all of 127/8 is the local host). */
const mine = (base: string, authorization: string, from: string) => send(`${base}/registry/v1/repositories/mine`, authorization, from);

/** GET `url` as `authorization` (or POST a JSON `body`), from a chosen loopback address. */
function send(url: string, authorization: string, from: string, body?: unknown) {
  const method = body === undefined ? 'GET' : 'POST';
  const headers = { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  return new Promise<{ status: number; retryAfter?: string; body: string }>((resolve, reject) => {
    const req = request(url, { method, headers, localAddress: from }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

test('after the limit of failures for an account from one address, that address waits, even with the right password, in any process', async () => {
  await addBasicUser(server, 'victim');
  for (let i = 0; i < MAX_FAILURES; i++) expect((await mine(server.url, basic('victim', `guess-${i}`), '127.0.1.1')).status).toBe(401);
  const blocked = await mine(siblingUrl, basic('victim', 'victim-password'), '127.0.1.1');
  expect(blocked.status).toBe(429);
  expect(Number(blocked.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(WINDOW_SECONDS);
  expect(JSON.parse(blocked.body)).toMatchObject({ code: expect.any(Number), message: expect.stringMatching(/too many failed sign-ins/) });
});

test('guesses from elsewhere only delay the owner, by at most a minute, never lock them out', async () => {
  await addBasicUser(server, 'owner');
  // Twice the limit of guesses, each pair of account and address under its own limit.
  for (let i = 0; i < 2 * MAX_FAILURES; i++) {
    expect([401, 429]).toContain((await mine(server.url, basic('owner', `guess-${i}`), `127.0.5.${i + 1}`)).status);
  }
  const first = await mine(siblingUrl, basic('owner', 'owner-password'), '127.0.6.1');
  if (first.status === 429) expect(Number(first.retryAfter)).toBeLessThanOrEqual(MAX_ACCOUNT_DELAY_SECONDS);
  // Well within the hour the failures count for, the owner is in.
  await passes(async () => expect((await mine(siblingUrl, basic('owner', 'owner-password'), '127.0.6.1')).status).toBe(200));
});

test.each(['legacy', 'graphql', 'token'])('429 carries Retry-After and TOO_MANY_REQUESTS (%s)', async (surface) => {
  const name = `limited-${surface}`;
  await addBasicUser(server, name);
  for (let i = 0; i < MAX_FAILURES; i++) expect((await mine(server.url, basic(name, `guess-${i}`), '127.0.7.1')).status).toBe(401);
  if (surface === 'legacy') {
    const answer = await mine(server.url, basic(name, `${name}-password`), '127.0.7.1');
    expect(answer.status).toBe(429);
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    return;
  }
  if (surface === 'token') {
    const answer = await send(`${server.url}/registry/v1/token?service=berth-registry&scope=repository:${name}/app:pull`, basic(name, `${name}-password`), '127.0.7.1');
    expect(answer.status).toBe(429);
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    // The token endpoint answers in the legacy envelope, whose code for TOO_MANY_REQUESTS is 14010.
    expect(JSON.parse(answer.body)).toMatchObject({ code: 14010, message: expect.stringMatching(/too many failed sign-ins/) });
    return;
  }
  const viaGraphql = await send(`${server.url}/graphql`, basic(name, `${name}-password`), '127.0.7.1', { query: '{ viewer { account { name } } }' });
  expect(viaGraphql.status).toBe(429);
  expect(Number(viaGraphql.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(JSON.parse(viaGraphql.body).errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
});

test('40 sign-ins at once, 39 wrong and the right one, in two processes: never more password checks than the limit', async () => {
  // Repeated, so that a lucky interleaving cannot pass for an atomic limit.
  for (let round = 0; round < 5; round++) {
    const name = `raced-${round}`;
    await addBasicUser(server, name);
    const attempts = Array.from({ length: 40 }, (_, i) => (i === 20 ? `${name}-password` : `guess-${i}`));
    const answers = await Promise.all(attempts.map((password, i) => mine(i % 2 ? siblingUrl : server.url, basic(name, password), '127.0.8.1')));
    const checkedWrong = answers.filter((answer, i) => i !== 20 && answer.status === 401).length;
    expect(checkedWrong).toBeLessThanOrEqual(MAX_FAILURES);
    expect(answers.every((answer) => [200, 401, 429].includes(answer.status))).toBe(true);
    expect([200, 429]).toContain(answers[20].status);
  }
});

test('a failure stops counting when it leaves the window, and Retry-After says when', async () => {
  // One failure locks, and the window is short: only one answer must come within it, even on a loaded machine.
  const windowSeconds = 5;
  const shortWindow = await startServer({ env: { BERTH_SIGNIN_MAX_FAILURES: '1', BERTH_SIGNIN_WINDOW_SECONDS: String(windowSeconds) } });
  try {
    await addBasicUser(shortWindow, 'patient');
    // The failure is recorded after the guess is sent and before its answer arrives.
    const guessSent = Date.now();
    expect((await mine(shortWindow.url, basic('patient', 'guess'), '127.0.4.1')).status).toBe(401);
    const guessAnswered = Date.now();
    const blocked = await mine(shortWindow.url, basic('patient', 'patient-password'), '127.0.4.2');
    // Only a machine too slow to answer twice within the window may see the failure gone already.
    if (Date.now() - guessSent < windowSeconds * 1000) {
      expect(blocked.status).toBe(429);
      expect(Number(blocked.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(windowSeconds);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, guessAnswered + windowSeconds * 1000 + 100 - Date.now())));
    expect((await mine(shortWindow.url, basic('patient', 'patient-password'), '127.0.4.2')).status).toBe(200);
  } finally {
    await shortWindow.close();
  }
});

test('guesses at names with no account use up the address, and never block an account\'s right password from it', async () => {
  await addBasicUser(server, 'bystander');
  for (let i = 0; i < MAX_FAILURES; i++) expect((await mine(server.url, basic(`sprayed-${i}`, 'Winter2024!'), '127.0.3.1')).status).toBe(401);
  expect((await mine(siblingUrl, basic('sprayed-next', 'Winter2024!'), '127.0.3.1')).status).toBe(429);
  // A wrong password for a real account from that address looks the same as an unknown name: 429.
  expect((await mine(server.url, basic('bystander', 'Winter2024!'), '127.0.3.1')).status).toBe(429);
  expect((await mine(siblingUrl, basic('bystander', 'bystander-password'), '127.0.3.1')).status).toBe(200);
});

test('wrong current passwords in changePassword count too', async () => {
  const authorization = await addBasicUser(server, 'stolen-session');
  const change = (current: string) =>
    graphql(server, 'mutation($c: String!) { changePassword(input: { currentPassword: $c, newPassword: "attacker-choice" }) { account { name } } }', { c: current }, authorization);
  for (let i = 0; i < MAX_FAILURES; i++) expect((await change(`guess-${i}`)).body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect((await change('stolen-session-password')).status).toBe(429);
});

test('behind a trusted proxy, the limit counts per client address from X-Forwarded-For', async () => {
  const proxied = await startServer({ env: { BERTH_SIGNIN_MAX_FAILURES: '2', BERTH_TRUST_PROXY: '127.0.0.1' } });
  try {
    await addBasicUser(proxied, 'behind');
    const from = (client: string, password: string) =>
      fetch(`${proxied.url}/registry/v1/repositories/mine`, { headers: { authorization: basic(`sprayed-${password}`, password), 'x-forwarded-for': client } });
    for (const guess of ['one', 'two']) expect((await from('203.0.113.7', guess)).status).toBe(401);
    expect((await from('203.0.113.7', 'three')).status).toBe(429);
    const neighbour = await fetch(`${proxied.url}/registry/v1/repositories/mine`, { headers: { authorization: basic('behind', 'behind-password'), 'x-forwarded-for': '198.51.100.9' } });
    expect(neighbour.status).toBe(200);
  } finally {
    await proxied.close();
  }
});

suite('sign-in limits across Berth processes', () => {
  test('40 sign-ins at once, split between two Berth processes on one PostgreSQL: never more password checks than the limit', async () => {
    buildBerth();
    const other = runBerth(['serve', '--port', '0', '--no-demo'], {
      DATABASE_URL: server.databaseUrl!,
      BERTH_SIGNIN_MAX_FAILURES: String(MAX_FAILURES),
      BERTH_SIGNIN_WINDOW_SECONDS: String(WINDOW_SECONDS),
      BERTH_WEBHOOK_SECRET: 'unused-here',
    });
    try {
      const otherUrl = await other.listening;
      for (let round = 0; round < 3; round++) {
        const name = `split-${round}`;
        await addBasicUser(server, name);
        const answers = await Promise.all(
          Array.from({ length: 40 }, (_, i) => mine(i % 2 ? otherUrl : server.url, basic(name, i === 21 ? `${name}-password` : `guess-${i}`), '127.0.9.1')),
        );
        expect(answers.filter((answer, i) => i !== 21 && answer.status === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
        expect([200, 429]).toContain(answers[21].status);
      }
    } finally {
      other.child.kill('SIGKILL');
      await other.exited;
    }
  });
});
