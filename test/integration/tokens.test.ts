import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { accessTokens } from '../../src/db/schema';
import { addUser, basic, graphql, startServer, type TestServer } from '../support/harness';
import { insertRepositories } from '../support/seed';

let server: TestServer;
let owner: string;
beforeAll(async () => {
  server = await startServer();
  owner = await addUser(server, 'tia');
  await addUser(server, 'ned');
  await insertRepositories(server.database.db, [{ namespace: 'tia', name: 'private-app', tags: [{ name: 'v1' }] }]);
});
afterAll(() => server.close());

const CREATE = 'mutation($name: String!, $expiresAt: DateTimeISO) { createToken(input: { name: $name, expiresAt: $expiresAt }) { secret token { id name createdAt expiresAt lastUsedAt } } }';
const LIST = '{ viewer { tokens { id name createdAt expiresAt lastUsedAt } } }';

async function createToken(name: string, expiresAt?: Date, authorization = owner) {
  const { body } = await graphql(server, CREATE, { name, expiresAt }, authorization);
  return body.data.createToken as { secret: string; token: { id: number; name: string; lastUsedAt: string | null; expiresAt: string | null } };
}

const mine = (authorization: string) =>
  fetch(`${server.url}/registry/v1/repositories/mine`, { headers: { authorization } }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as any,
    challenge: r.headers.get('www-authenticate'),
  }));

test('a token is shown once, stored only as its SHA-256, and signs in as Bearer on REST and GraphQL', async () => {
  const { secret, token } = await createToken('ci');
  expect(secret).toMatch(/^berth_[\w-]{43}$/);
  expect(token).toMatchObject({ name: 'ci', expiresAt: null, lastUsedAt: null });

  const [row] = await server.database.db.select().from(accessTokens).where(eq(accessTokens.id, token.id));
  expect(row.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
  expect(JSON.stringify(row)).not.toContain(secret);

  const rest = await mine(`Bearer ${secret}`);
  expect(rest.status).toBe(200);
  expect(rest.body.data.map((r: { Image: string }) => r.Image)).toEqual(['private-app']);
  const viewer = await graphql(server, '{ viewer { account { name } } }', undefined, `Bearer ${secret}`);
  expect(viewer.body.data.viewer.account).toEqual({ name: 'tia' });

  const listed = await graphql(server, LIST, undefined, owner);
  const entry = listed.body.data.viewer.tokens.find((t: { id: number }) => t.id === token.id);
  expect(entry).toEqual({ ...token, lastUsedAt: expect.any(String) });
  expect(JSON.stringify(listed.body)).not.toContain(secret);
});

test('docker login style: Basic with the account name and a token as password', async () => {
  const { secret } = await createToken('docker');
  expect((await mine(basic('tia', secret))).status).toBe(200);
  expect((await mine(basic('ned', secret))).status).toBe(401);
});

test('a revoked token is refused with 401 and WWW-Authenticate; it no longer lists', async () => {
  const { secret, token } = await createToken('to-revoke');
  expect((await mine(`Bearer ${secret}`)).status).toBe(200);
  const revoked = await graphql(server, 'mutation($id: Int!) { revokeToken(input: { id: $id }) { token { id name } } }', { id: token.id }, owner);
  expect(revoked.body.data.revokeToken.token).toEqual({ id: token.id, name: 'to-revoke' });
  const answer = await mine(`Bearer ${secret}`);
  expect(answer).toMatchObject({ status: 401, body: { code: 14009, message: expect.any(String) }, challenge: expect.stringMatching(/Bearer realm="berth"/) });
  expect(answer.body.message).not.toContain(secret);
  const gql = await graphql(server, '{ viewer { account { name } } }', undefined, `Bearer ${secret}`);
  expect({ status: gql.status, code: gql.body.errors?.[0].extensions?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  const listed = await graphql(server, LIST, undefined, owner);
  expect(listed.body.data.viewer.tokens.map((t: { id: number }) => t.id)).not.toContain(token.id);
});

test('a token stops working when it expires', async () => {
  const expiresAt = new Date(Date.now() + 60_000);
  const { secret, token } = await createToken('short-lived', expiresAt);
  expect(token.expiresAt).not.toBeNull();
  const [row] = await server.database.db.select().from(accessTokens).where(eq(accessTokens.id, token.id));
  expect(row.expiresAt).toEqual(expiresAt);
  expect((await mine(`Bearer ${secret}`)).status).toBe(200);
  // Its expiry passes: moved into the past rather than waited for, as a slow machine needs slack either way.
  await server.database.db.update(accessTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accessTokens.id, token.id));
  expect(await mine(`Bearer ${secret}`)).toMatchObject({ status: 401, body: { message: 'access token has expired' } });
});

test('someone else cannot revoke, or learn of, my token', async () => {
  const { secret, token } = await createToken('kept');
  const attempt = await graphql(server, 'mutation($id: Int!) { revokeToken(input: { id: $id }) { token { id } } }', { id: token.id }, basic('ned', 'ned-password'));
  expect(attempt.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const never = await graphql(server, 'mutation { revokeToken(input: { id: 999999 }) { token { id } } }', undefined, basic('ned', 'ned-password'));
  expect(attempt.body.errors?.[0].message.replace(String(token.id), 'N')).toBe(never.body.errors?.[0].message.replace('999999', 'N'));
  expect((await mine(`Bearer ${secret}`)).status).toBe(200);
});

test.each([
  ['an expiry in the past', { name: 'late', expiresAt: new Date(Date.now() - 1000) }],
  ['an empty name', { name: '  ' }],
])('createToken refuses %s', async (_case, variables) => {
  const { body } = await graphql(server, CREATE, variables, owner);
  expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test.each(['Bearer berth_not-a-real-token', 'Bearer ', 'Token abc', 'Basic !!!'])('the Authorization %j is 401, never anonymous', async (authorization) => {
  const answer = await mine(authorization);
  expect(answer.status).toBe(401);
  const pub = await fetch(`${server.url}/registry/v1/repositories/public`, { headers: { authorization } });
  expect(pub.status).toBe(401);
});

test('when the database fails, the answer carries neither the token nor its hash', async () => {
  const broken = await startServer();
  const authorization = await addUser(broken, 'outage');
  const { body } = await graphql(broken, 'mutation { createToken(input: { name: "x" }) { secret } }', undefined, authorization);
  const secret: string = body.data.createToken.secret;
  const hash = createHash('sha256').update(secret).digest('hex');
  await broken.database.close();
  try {
    const answers = [
      await fetch(`${broken.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: '{"query":"{ viewer { account { name } } }"}' }),
      await fetch(`${broken.url}/registry/v1/repositories/mine`, { headers: { authorization: `Bearer ${secret}` } }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(500);
      const text = await answer.text();
      expect(text).not.toContain(hash);
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/Failed query|password_hash/);
    }
  } finally {
    await broken.app.http.close();
  }
});
