import { createHash } from 'node:crypto';
import { asc, eq, getTableColumns } from 'drizzle-orm';
import { accessTokens, accounts, repositories, tags } from '../../src/db/schema';
import { addBasicUser, addUser, basic, graphql, startServer, type TestServer } from '../support/harness';
import { insertRepositories } from '../support/seed';

let server: TestServer;
let owner: string;
beforeAll(async () => {
  server = await startServer();
  owner = await addBasicUser(server, 'tia');
  await addUser(server, 'ned');
  await insertRepositories(server.database.db, [{ namespace: 'tia', name: 'private-app', isPublic: false, tags: [{ name: 'v1' }] }]);
});
afterAll(() => server.close());

const CREATE =
  'mutation($name: String!, $expiresAt: DateTimeISO) { createToken(input: { name: $name, expiresAt: $expiresAt }) { secret token { id name permission createdAt expiresAt lastUsedAt } } }';
const LIST = '{ viewer { tokens { id name permission createdAt expiresAt lastUsedAt } } }';

interface CreatedToken {
  secret: string;
  token: { id: number; name: string; permission: 'READ' | 'WRITE'; lastUsedAt: string | null; expiresAt: string | null };
}

async function createToken(name: string, expiresAt?: Date, authorization = owner) {
  const { body } = await graphql(server, CREATE, { name, expiresAt }, authorization);
  return body.data.createToken as CreatedToken;
}

async function createWriteToken(name: string) {
  const { body } = await graphql(server, 'mutation($name: String!) { createToken(input: { name: $name, permission: WRITE }) { secret token { id name permission } } }', { name }, owner);
  return body.data.createToken as CreatedToken;
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
  expect(token).toMatchObject({ name: 'ci', permission: 'READ', expiresAt: null, lastUsedAt: null });

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
  const authorization = await addBasicUser(broken, 'outage');
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

describe('permission', () => {
  let read: string;
  let write: string;
  beforeAll(async () => {
    read = `Bearer ${(await createToken('pull only')).secret}`;
    write = `Bearer ${(await createWriteToken('deploys')).secret}`;
  });

  test('a token is READ unless made WRITE, on creation and in the list', async () => {
    const made = await createWriteToken('ci that pushes');
    expect(made.token).toMatchObject({ name: 'ci that pushes', permission: 'WRITE' });
    const [row] = await server.database.db.select().from(accessTokens).where(eq(accessTokens.id, made.token.id));
    expect(row.permission).toBe('write');
    const listed = await graphql(server, LIST, undefined, owner);
    const permissions = new Map(listed.body.data.viewer.tokens.map((t: { name: string; permission: string }) => [t.name, t.permission]));
    expect(permissions.get('ci that pushes')).toBe('WRITE');
    expect(permissions.get('pull only')).toBe('READ');
  });

  test('a READ token reads as its account: the viewer, a private repository, the legacy list of mine', async () => {
    const viewer = await graphql(server, '{ viewer { account { name } tokens { name } } }', undefined, read);
    expect(viewer.body.data.viewer.account).toEqual({ name: 'tia' });
    const repository = await graphql(server, '{ repository(namespace: "tia", name: "private-app") { publicity tags { nodes { name } } } }', undefined, read);
    expect(repository.body).toEqual({ data: { repository: { publicity: 'PRIVATE', tags: { nodes: [{ name: 'v1' }] } } } });
    const rest = await mine(read);
    expect(rest.status).toBe(200);
    expect(rest.body.data.map((r: { Image: string }) => r.Image)).toEqual(['private-app']);
  });

  /** Everything these changes could touch; lastUsedAt is left out, as signing in with a token moves it. */
  async function state() {
    const { db } = server.database;
    const { lastUsedAt: _moves, ...tokenColumns } = getTableColumns(accessTokens);
    return {
      accounts: await db.select().from(accounts).orderBy(asc(accounts.id)),
      tokens: await db.select(tokenColumns).from(accessTokens).orderBy(asc(accessTokens.id)),
      repositories: await db.select().from(repositories).orderBy(asc(repositories.id)),
      tags: await db.select().from(tags).orderBy(asc(tags.id)),
    };
  }

  /** Each case gets a private repository of tia's with tags v1 and v2, and a token of hers to revoke. */
  interface Fixture {
    repository: string;
    tokenId: number;
  }
  let fixtures = 0;
  async function fixture(): Promise<Fixture> {
    const repository = `change-${++fixtures}`;
    await insertRepositories(server.database.db, [{ namespace: 'tia', name: repository, isPublic: false, tags: [{ name: 'v1' }, { name: 'v2' }] }]);
    return { repository, tokenId: (await createToken(`to revoke ${fixtures}`)).token.id };
  }

  const REFUSAL = /^this access token can only read \(permission READ\); sign in with a password or a WRITE token to change anything$/;

  const MUTATIONS: [string, (f: Fixture) => string][] = [
    ['setPublicity', (f) => `mutation { setPublicity(input: { namespace: "tia", repository: "${f.repository}", publicity: PUBLIC }) { repository { publicity } } }`],
    ['deleteTag', (f) => `mutation { deleteTag(input: { namespace: "tia", repository: "${f.repository}", tag: "v1" }) { repositoryRemoved } }`],
    ['deleteRepository', (f) => `mutation { deleteRepository(input: { namespace: "tia", repository: "${f.repository}" }) { repositoryRemoved } }`],
    ['revokeToken', (f) => `mutation { revokeToken(input: { id: ${f.tokenId} }) { token { id } } }`],
    ['changePassword', () => 'mutation { changePassword(input: { currentPassword: "tia-password", newPassword: "tia-password" }) { account { name } } }'],
  ];

  test.each(MUTATIONS)('a READ token may not %s: FORBIDDEN, and nothing changes; a WRITE token may', async (_mutation, document) => {
    const query = document(await fixture());
    const before = await state();
    const refused = await graphql(server, query, undefined, read);
    expect(refused.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(REFUSAL), extensions: { code: 'FORBIDDEN' } })]);
    expect(await state()).toEqual(before);
    const done = await graphql(server, query, undefined, write);
    expect(done.body.errors).toBeUndefined();
  });

  test.each([
    ['DELETE', '/manifests/v1/tia/{repository}', undefined],
    ['DELETE', '/manifests/tia/{repository}?tag=v1', undefined],
    ['DELETE', '/manifests/tia/{repository}', undefined],
    ['PATCH', '/tia/{repository}/publicity', '{"Publicity": 1}'],
  ])('a READ token may not %s %s: 403 in the legacy envelope, and nothing changes; a WRITE token may', async (method, path, body) => {
    const url = `${server.url}/registry/v1${path.replace('{repository}', (await fixture()).repository)}`;
    const send = async (authorization: string) => {
      const headers: Record<string, string> = { authorization };
      if (body) headers['content-type'] = 'application/json';
      const response = await fetch(url, { method, headers, body });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const before = await state();
    const refused = await send(read);
    expect(refused).toEqual({ status: 403, body: { code: 14003, data: null, message: expect.stringMatching(REFUSAL) } });
    expect(await state()).toEqual(before);
    expect(await send(write)).toEqual({ status: 200, body: { code: 0, data: 'success' } });
  });
});


describe('token hygiene', () => {
  const whoAmI = async (authorization: string) => (await graphql(server, '{ viewer { account { name } } }', undefined, authorization)).status;
  const tokenCount = async () => (await graphql(server, '{ viewer { tokens { id } } }', undefined, owner)).body.data.viewer.tokens.length;

  test('a token, READ or WRITE, cannot make tokens; a password can', async () => {
    const write = `Bearer ${(await createWriteToken('writer')).secret}`;
    const before = await tokenCount();
    for (const authorization of [write, basic('tia', (await createWriteToken('as password')).secret)]) {
      const { body } = await graphql(server, CREATE, { name: 'renewed' }, authorization);
      expect(body.errors).toEqual([expect.objectContaining({ message: 'sign in with your password to create an access token; a token cannot make tokens', extensions: { code: 'FORBIDDEN' } })]);
    }
    expect(await tokenCount()).toBe(before + 1);
  });

  test('a token name holding NUL is the caller’s mistake', async () => {
    const { body } = await graphql(server, CREATE, { name: 'a\u0000b' }, owner);
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('changePassword keeps the tokens, unless asked to revoke them all at once', async () => {
    const account = await addBasicUser(server, 'rex');
    const make = async () => {
      const { body } = await graphql(server, CREATE, { name: 'ci' }, account);
      return `Bearer ${body.data.createToken.secret}`;
    };
    const change = (revokeTokens: boolean) =>
      graphql(server, 'mutation($r: Boolean!) { changePassword(input: { currentPassword: "rex-password", newPassword: "rex-password", revokeTokens: $r }) { account { name } } }', { r: revokeTokens }, account);
    const [kept, alsoKept] = [await make(), await make()];
    expect((await change(false)).body.errors).toBeUndefined();
    expect([await whoAmI(kept), await whoAmI(alsoKept)]).toEqual([200, 200]);
    expect((await change(true)).body.errors).toBeUndefined();
    expect([await whoAmI(kept), await whoAmI(alsoKept), await whoAmI(account)]).toEqual([401, 401, 200]);
  });

  test("an admin revokes every token of another account; an unknown account is NOT_FOUND", async () => {
    const admin = await addBasicUser(server, 'boss', 'admin');
    const account = await addBasicUser(server, 'leaky');
    const tokens: string[] = [];
    for (const name of ['a', 'b', 'c']) tokens.push(`Bearer ${(await graphql(server, CREATE, { name }, account)).body.data.createToken.secret}`);
    const revoke = (name: string) => graphql(server, 'mutation($a: String!) { revokeAccountTokens(input: { account: $a }) { revoked } }', { a: name }, admin);
    expect((await revoke('leaky')).body.data).toEqual({ revokeAccountTokens: { revoked: 3 } });
    expect(await Promise.all(tokens.map(whoAmI))).toEqual([401, 401, 401]);
    expect(await whoAmI(account)).toBe(200);
    expect((await revoke('nobody')).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await graphql(server, 'mutation { revokeAccountTokens(input: { account: "boss" }) { revoked } }', undefined, account)).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
