import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDemo } from '../../src/demo';
import { curlCommands, type CurlRequest } from '../support/curl';
import { addUser, basic, startServer, type TestServer } from '../support/harness';

const ROOT = path.resolve(__dirname, '../..');
/** The legacy API document (a copy of shared/contract/registry-v1.md). */
const CONTRACT = curlCommands(readFileSync(path.join(ROOT, 'test/fixtures/contract/registry-v1.md'), 'utf8'));
const README = curlCommands(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
const ADMIN_PASSWORD = 'admin-password';

/** A server with the demo data a first start loads, and its admin. */
async function demoServer(): Promise<TestServer> {
  const server = await startServer();
  await loadDemo(server.database.db);
  await addUser(server, 'admin', 'admin');
  return server;
}

async function send(server: TestServer, request: CurlRequest, authorization?: string) {
  const response = await fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...(authorization ? { authorization } : {}) },
    body: request.body,
  });
  return { status: response.status, body: (await response.json()) as { code?: number; errors?: unknown[] } };
}

/** The legacy server too answered these only to a signed-in caller; the document leaves the credentials out. */
const needsSignIn = (request: CurlRequest) => request.method !== 'GET' || request.path === '/registry/v1/repositories/mine';

describe('the curl lines of the legacy API document, in order, on the demo data', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await demoServer();
  });
  afterAll(() => server.close());

  test('the document has the six lines of its six routes', () => {
    expect(CONTRACT.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /registry/v1/tag/list/library/registry',
      'GET /registry/v1/manifests/latest/library/registry',
      'GET /registry/v1/repositories/mine',
      'GET /registry/v1/repositories/public',
      'DELETE /registry/v1/manifests/latest/library/registry',
      'PATCH /registry/v1/library/nginx/publicity',
    ]);
  });

  test.each(CONTRACT.map((request) => ({ request, name: request.line })))('$name succeeds', async ({ request }) => {
    if (needsSignIn(request)) {
      expect((await send(server, request)).status).toBe(401);
      const signedIn = await send(server, request, basic('admin', ADMIN_PASSWORD));
      expect(signedIn).toEqual({ status: 200, body: { code: 0, data: expect.anything() } });
    } else {
      expect(await send(server, request)).toEqual({ status: 200, body: { code: 0, data: expect.anything() } });
    }
  });
});

describe("the README's curl lines, in order, on the demo data", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await demoServer();
  });
  afterAll(() => server.close());

  test.each(README.map((request) => ({ request, name: request.line })))('$name succeeds', async ({ request }) => {
    const [name, password] = request.user?.split(':') ?? [];
    const answer = await send(server, request, request.user ? basic(name, password.replace('PASSWORD', ADMIN_PASSWORD)) : undefined);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });
});
