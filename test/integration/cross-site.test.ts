import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { namespaces } from '../../src/db/schema';
import { addBasicUser, basic, graphql, startServer, type TestServer } from '../support/harness';

const ALLOWED = 'https://ui.example.com';
const ELSEWHERE = 'https://evil.example.net';

/** A browser's preflight before a cross-site POST with JSON and an Authorization header. */
const preflight = (server: TestServer, path: string, origin: string) =>
  fetch(`${server.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });

describe('with no origins configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  test.each(['/graphql', '/registry/v1/repositories/mine'])('%s grants no origin cross-site access', async (path) => {
    const answer = await preflight(server, path, ALLOWED);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${server.url}/registry/v1/repositories/public`, { headers: { origin: ALLOWED } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe("Apollo's CSRF prevention", () => {
    const query = encodeURIComponent('{ viewer { account { name } } }');

    test('refuses a GET query without a preflight-forcing header', async () => {
      const answer = await fetch(`${server.url}/graphql?query=${query}`);
      expect(answer.status).toBe(400);
      expect(await answer.text()).toMatch(/CSRF/);
    });

    // Browsers send cached Basic credentials with a cross-site form post; such a post must not run a mutation.
    test.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])('refuses a mutation POSTed as %s', async (type) => {
      const authorization = await addBasicUser(server, `victim-${type.replace(/\W.*/, '')}`);
      const answer = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': type, authorization },
        body: JSON.stringify({ query: 'mutation { createToken(input: { name: "planted" }) { secret } }' }),
      });
      expect([400, 415]).toContain(answer.status);
      const { body } = await graphql(server, '{ viewer { tokens { name } } }', undefined, authorization);
      expect(body.data.viewer.tokens).toEqual([]);
    });

    test('answers a GET that carries apollo-require-preflight, and a JSON POST', async () => {
      const get = await fetch(`${server.url}/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(get.status).toBe(200);
      const post = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { account { name } } }' }) });
      expect(await post.json()).toEqual({ data: { viewer: { account: null } } });
    });
  });
});

/** A form another site posts at /registry/v1/namespace, carrying the victim's cached Basic credentials. */
const formPost = (server: TestServer, authorization: string, headers: Record<string, string>) =>
  fetch(`${server.url}/registry/v1/namespace`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization, ...headers },
    body: '{"Namespace":"planted"}',
  });

describe('legacy REST writes from a browser', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { BERTH_CORS_ORIGINS: ALLOWED } });
  });
  afterAll(() => server.close());

  const namespaceOf = async (authorization: string) =>
    ((await (await fetch(`${server.url}/registry/v1/namespace`, { headers: { authorization } })).json()) as any).data;

  test.each([
    ['another site', { origin: ELSEWHERE, 'sec-fetch-site': 'cross-site' }],
    ['another site, from a browser without Sec-Fetch-Site', { origin: ELSEWHERE }],
  ])('are refused from %s', async (_case, headers) => {
    const authorization = await createAccountWithoutNamespace(server);
    const answer = await formPost(server, authorization, headers);
    expect(answer.status).toBe(403);
    expect(await namespaceOf(authorization)).toBeNull();
  });

  test.each([
    ['the same origin', (s: TestServer) => ({ origin: s.url, 'sec-fetch-site': 'same-origin' })],
    ['a configured origin', () => ({ origin: ALLOWED, 'sec-fetch-site': 'cross-site' })],
    ['curl (no Origin)', () => ({})],
  ])('are accepted from %s', async (_case, headers) => {
    const authorization = await createAccountWithoutNamespace(server);
    expect((await formPost(server, authorization, headers(server))).status).toBe(200);
    expect(await namespaceOf(authorization)).toMatchObject({ Namespace: 'planted' });
    await server.database.db.delete(namespaces).where(eq(namespaces.name, 'planted'));
  });
});

let accountsMade = 0;
async function createAccountWithoutNamespace(server: TestServer) {
  const name = `writer-${++accountsMade}`;
  await server.app.services.accounts.register({ name, password: 'writer-password', role: 'user' });
  return basic(name, 'writer-password');
}

describe('with BERTH_CORS_ORIGINS set', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { BERTH_CORS_ORIGINS: `${ALLOWED}, https://other.example.com` } });
  });
  afterAll(() => server.close());

  test.each(['/graphql', '/registry/v1/repositories/mine'])('%s lets a configured origin send Authorization', async (path) => {
    const answer = await preflight(server, path, ALLOWED);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/authorization/);
  });

  test('a configured origin reads responses; any other origin does not', async () => {
    const allowed = await fetch(`${server.url}/registry/v1/repositories/public`, { headers: { origin: ALLOWED } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect((await preflight(server, '/graphql', ELSEWHERE)).headers.get('access-control-allow-origin')).toBeNull();
    const other = await fetch(`${server.url}/registry/v1/repositories/public`, { headers: { origin: ELSEWHERE } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('DNS rebinding: a page whose name now resolves to this machine', () => {
  let server: TestServer;
  let configured: TestServer;
  beforeAll(async () => {
    server = await startServer();
    configured = await startServer({ env: { BERTH_URL: 'https://berth.example.com' } });
  });
  afterAll(async () => {
    await server.close();
    await configured.close();
  });

  /** A request as the rebinding page's browser sends it: its own name in Host and Origin (fetch would set Host itself). */
  const rebound = (target: TestServer, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}, host = 'evil.example') =>
    new Promise<{ status: number; json(): Promise<unknown> }>((resolve, reject) => {
      const sent = request(`${target.url}${path}`, { method: init.method ?? 'GET', headers: { host, origin: `http://${host}`, ...init.headers } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, json: async () => JSON.parse(text) }));
      });
      sent.on('error', reject);
      sent.end(init.body);
    });

  test('every change and token issuing is refused with 403, and changes nothing', async () => {
    const authorization = await addBasicUser(server, 'rebound-victim');
    const mutation = await rebound(server, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: 'mutation { createToken(input: { name: "planted" }) { secret } }' }),
    });
    expect(mutation.status).toBe(403);
    expect(((await mutation.json()) as any).errors[0].message).toMatch(/takes changes only at 127\.0\.0\.1:\d+, not at Host evil\.example; set BERTH_URL/);
    const { body } = await graphql(server, '{ viewer { tokens { name } } }', undefined, authorization);
    expect(body.data.viewer.tokens).toEqual([]);

    const webhook = await rebound(server, '/registry/v1/notifications', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events": []}' });
    expect(webhook.status).toBe(403);
    const legacy = await rebound(server, '/registry/v1/namespace', { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{"Namespace": "rebound"}' });
    expect(legacy.status).toBe(403);
    expect(await server.database.db.select().from(namespaces).where(eq(namespaces.name, 'rebound'))).toEqual([]);
    expect((await rebound(server, '/registry/v1/token?service=berth-registry', { headers: { authorization } })).status).toBe(403);
  });

  test('reads still answer, and loopback names and the configured URL take changes', async () => {
    expect((await rebound(server, '/registry/v1/repositories/public')).status).toBe(200);
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      expect([host, (await rebound(server, '/registry/v1/token?service=berth-registry', {}, host)).status]).toEqual([host, 200]);
    }
    expect((await rebound(configured, '/registry/v1/token?service=berth-registry', {}, 'berth.example.com')).status).toBe(200);
    expect((await rebound(configured, '/registry/v1/token?service=berth-registry', {}, 'berth.example.com:8443')).status).toBe(403);
  });
});
