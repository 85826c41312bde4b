import { addUser, basic, graphql, startServer, type TestServer } from '../support/harness';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await addUser(server, 'taken');
});
afterAll(() => server.close());

/** An account without a namespace yet, as an admin creates it. */
let fresh = 0;
async function newcomer(role: 'admin' | 'user' = 'user') {
  const name = `newcomer${++fresh}`;
  await server.app.services.accounts.register({ name, password: 'newcomer-password', role });
  return basic(name, 'newcomer-password');
}

async function namespace(method: 'GET' | 'POST', authorization?: string, body?: unknown) {
  const response = await fetch(`${server.url}/registry/v1/namespace`, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any, challenge: response.headers.get('www-authenticate') };
}

describe('/registry/v1/namespace', () => {
  test('a new account has none, creates one, then GET returns it', async () => {
    const caller = await newcomer();
    expect(await namespace('GET', caller)).toMatchObject({ status: 200, body: { code: 0, data: null } });
    const created = await namespace('POST', caller, { Namespace: 'team-a_1' });
    expect(created).toMatchObject({ status: 200, body: { code: 0, data: { ID: expect.any(Number), Namespace: 'team-a_1' } } });
    expect((await namespace('GET', caller)).body).toEqual(created.body);
  });

  test('one namespace per account: a second is 409', async () => {
    const caller = await newcomer();
    await namespace('POST', caller, { Namespace: 'first-one' });
    const second = await namespace('POST', caller, { Namespace: 'second-one' });
    expect(second).toMatchObject({ status: 409, body: { code: expect.any(Number), message: expect.stringMatching(/already have namespace first-one/) } });
  });

  test("another account's name is 409", async () => {
    expect(await namespace('POST', await newcomer(), { Namespace: 'taken' })).toMatchObject({ status: 409, body: { message: 'namespace taken is taken' } });
  });

  test('two accounts racing for one name: one wins, one gets 409', async () => {
    const answers = await Promise.all([namespace('POST', await newcomer(), { Namespace: 'raced' }), namespace('POST', await newcomer(), { Namespace: 'raced' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });

  test.each(['a', 'Upper', '-lead', 'trail-', 'has space', 'dot.ted', 'x'.repeat(31), '', 'ünï'])('the malformed name %j is 400', async (name) => {
    expect(await namespace('POST', await newcomer(), { Namespace: name })).toMatchObject({ status: 400, body: { code: 14001 } });
  });

  test.each(['ab', 'a-b_c', '0x', 'y'.repeat(30)])('the name %j is accepted', async (name) => {
    expect((await namespace('POST', await newcomer(), { Namespace: name })).status).toBe(200);
  });

  test.each([[{}], [{ Namespace: 7 }], [['x']]])('the body %j is 400', async (body) => {
    expect((await namespace('POST', await newcomer(), body)).status).toBe(400);
  });

  test('library belongs to admins: a user gets 409, and an admin creating it keeps their own', async () => {
    expect((await namespace('POST', await newcomer(), { Namespace: 'library' })).status).toBe(409);
    const admin = await newcomer('admin');
    expect((await namespace('POST', admin, { Namespace: 'library' })).status).toBe(200);
    expect((await namespace('POST', admin, { Namespace: 'library' })).status).toBe(409);
    expect((await namespace('GET', admin)).body.data).toBeNull();
    expect((await namespace('POST', admin, { Namespace: 'admins-own' })).status).toBe(200);
  });

  test.each(['GET', 'POST'] as const)('anonymous %s is 401 with WWW-Authenticate', async (method) => {
    const answer = await namespace(method, undefined, method === 'POST' ? { Namespace: 'anon' } : undefined);
    expect(answer).toMatchObject({ status: 401, body: { code: 14009 }, challenge: expect.stringMatching(/^Basic realm="berth"/) });
  });
});

describe('GraphQL', () => {
  test('createNamespace, then viewer shows the account and its namespace', async () => {
    const caller = await newcomer();
    const created = await graphql(server, 'mutation { createNamespace(input: { name: "via-graphql" }) { namespace { name } } }', undefined, caller);
    expect(created.body.data).toEqual({ createNamespace: { namespace: { name: 'via-graphql' } } });
    const { body } = await graphql(server, '{ viewer { account { name role } namespace { name } } }', undefined, caller);
    expect(body.data.viewer).toEqual({ account: { name: `newcomer${fresh}`, role: 'USER' }, namespace: { name: 'via-graphql' } });
  });

  test('createNamespace reports the same errors as the legacy route', async () => {
    const bad = await graphql(server, 'mutation { createNamespace(input: { name: "Nope" }) { namespace { name } } }', undefined, await newcomer());
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const taken = await graphql(server, 'mutation { createNamespace(input: { name: "taken" }) { namespace { name } } }', undefined, await newcomer());
    expect(taken.body.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  test('an anonymous viewer has no account and no namespace', async () => {
    const { body } = await graphql(server, '{ viewer { account { name } namespace { name } } }');
    expect(body).toEqual({ data: { viewer: { account: null, namespace: null } } });
  });
});
