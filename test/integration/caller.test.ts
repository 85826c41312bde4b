import { MAX_PAGE_SIZE } from '../../src/services/pagination';
import { addBasicUser, startServer, type TestServer } from '../support/harness';
import { seed } from '../support/seed';

let server: TestServer;
let owner: string;
beforeAll(async () => {
  server = await startServer();
  owner = await addBasicUser(server, 'pat');
  // Two full pages and one more repository: the legacy list walks three pages.
  await seed(server.database.db, { repositories: 2 * MAX_PAGE_SIZE + 1, tagsPerRepository: 1, namespaces: ['pat'] });
});
afterAll(() => server.close());

/** The sign-in's own statements: the account looked up by name, and the failed-sign-in check. */
const signIns = (statements: string[]) => statements.filter((s) => /from "accounts" where "accounts"\."name" =/.test(s)).length;
const throttleChecks = (statements: string[]) => statements.filter((s) => s.includes('"sign_in_failures"')).length;
const pagesRead = (statements: string[]) => statements.filter((s) => /from "repositories" inner join "namespaces".* limit/.test(s)).length;

test('a Basic-authenticated legacy list that walks three pages verifies the password once', async () => {
  server.statements.length = 0;
  const response = await fetch(`${server.url}/registry/v1/repositories/mine`, { headers: { authorization: owner } });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(2 * MAX_PAGE_SIZE + 1);
  expect(pagesRead(server.statements)).toBe(3);
  expect(signIns(server.statements)).toBe(1);
  // One reservation of a password check: the limits read, the check reserved, and released once it passed.
  expect(throttleChecks(server.statements)).toBe(3);
});

test('a wrong password fails the request before any operation runs, with the legacy envelope and a challenge', async () => {
  server.statements.length = 0;
  const response = await fetch(`${server.url}/registry/v1/repositories/mine`, { headers: { authorization: `Basic ${Buffer.from('pat:wrong-password').toString('base64')}` } });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="berth"/);
  expect(await response.json()).toEqual({ code: 14009, data: null, message: 'wrong account name or password' });
  expect(pagesRead(server.statements)).toBe(0);
});

test('/graphql answers a failed sign-in from the same error map: status, challenge and a GraphQL error body', async () => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer berth_never-issued' },
    body: JSON.stringify({ query: '{ viewer { account { name } } }' }),
  });
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Basic realm="berth", charset="UTF-8", Bearer realm="berth"');
  expect(await response.json()).toEqual({ errors: [{ message: 'access token is not valid (revoked or never issued)', extensions: { code: 'UNAUTHENTICATED' } }] });
});

test('/graphql answers a body over the limit with 413 from the same error map', async () => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ __typename }#${'x'.repeat(70 * 1024)}` }),
  });
  expect(response.status).toBe(413);
  expect(await response.json()).toEqual({ errors: [{ message: 'request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
});

test.each([
  { route: 'PATCH /:namespace/:image/publicity with no body', method: 'PATCH', path: '/registry/v1/pat/repo-0000/publicity', body: undefined },
  { route: 'PATCH /:namespace/:image/publicity with a body that is not JSON', method: 'PATCH', path: '/registry/v1/pat/repo-0000/publicity', body: '{"Publicity":' },
  { route: 'POST /namespace with a body that is not JSON', method: 'POST', path: '/registry/v1/namespace', body: 'Namespace=x' },
  { route: 'DELETE /manifests/:namespace/:image with an empty ?tag=', method: 'DELETE', path: '/registry/v1/manifests/pat/repo-0000?tag=', body: undefined },
  { route: 'DELETE /manifests/:reference/:namespace/:image', method: 'DELETE', path: '/registry/v1/manifests/v1/pat/repo-0000', body: undefined },
])('credentials come before the body: $route answers an anonymous caller 401, and a wrong password 401', async ({ method, path, body }) => {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  const anonymous = await fetch(`${server.url}${path}`, { method, headers, body });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="berth"/);
  const wrong = await fetch(`${server.url}${path}`, { method, headers: { ...headers, authorization: `Basic ${Buffer.from('pat:wrong-password').toString('base64')}` }, body });
  expect(wrong.status).toBe(401);
});
