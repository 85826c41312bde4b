import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { tokenSigningKeys } from '../../src/db/schema';
import { libtrustKeyId } from '../../src/registry-token/signer';
import { createServices } from '../../src/services';
import { addBasicUser, basic, graphql, startServer, type TestServer } from '../support/harness';
import { insertRepositories } from '../support/seed';

/**
 * GET /registry/v1/token as Distribution's token spec has a registry's
 * clients use it. The grants of every caller are the access matrix's; this
 * file checks the answer, the JWT, the keys, and every bad request.
 */
let server: TestServer;
let alice: string;
let aliceRead: string;
let aliceWrite: string;

const TTL = 120;

beforeAll(async () => {
  server = await startServer({ env: { BERTH_TOKEN_TTL: String(TTL), BERTH_TOKEN_SERVICE: 'registry.test', BERTH_TOKEN_ISSUER: 'berth.test' } });
  alice = await addBasicUser(server, 'alice');
  // Access tokens of alice herself, sent as the password of a Basic header, as docker login does.
  const token = async (permission: 'READ' | 'WRITE') => {
    const { body } = await graphql(server, 'mutation($p: AccessTokenPermission!) { createToken(input: { name: "ci", permission: $p }) { secret } }', { p: permission }, alice);
    return basic('alice', body.data.createToken.secret);
  };
  aliceRead = await token('READ');
  aliceWrite = await token('WRITE');
  await insertRepositories(server.database.db, [
    { namespace: 'alice', name: 'app', isPublic: false, tags: [{ name: 'v1' }] },
    { namespace: 'library', name: 'hello', isPublic: true, tags: [{ name: 'latest' }] },
  ]);
});
afterAll(() => server.close());

async function tokenRequest(query: string, authorization?: string, method = 'GET') {
  const response = await fetch(`${server.url}/registry/v1/token${query}`, { method, headers: authorization ? { authorization } : {} });
  const body = (await response.json()) as Record<string, any>;
  return { status: response.status, body, challenge: response.headers.get('www-authenticate') };
}

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const claimsOf = (token: string) => decode(token.split('.')[1]);
const accessOf = async (query: string, authorization?: string) => claimsOf((await tokenRequest(query, authorization)).body.token).access;
const bundle = () => server.app.services.registryTokens.keys.bundle();

describe('the answer', () => {
  test('is a token under both names, its lifetime, and when it was issued', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await tokenRequest('?service=registry.test&scope=repository:library/hello:pull', undefined);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'issued_at', 'token']);
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBe(TTL);
    expect(Date.parse(body.issued_at) / 1000).toBeGreaterThanOrEqual(before);
    expect(body.issued_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('carries the claims Distribution checks: a string audience, whole seconds, never back-dated', async () => {
    const [first, second] = await Promise.all([tokenRequest('?service=registry.test&scope=repository:alice/app:pull', alice), tokenRequest('?service=registry.test', alice)]);
    const claims = claimsOf(first.body.token);
    expect(claims).toEqual({
      iss: 'berth.test',
      sub: 'alice',
      aud: 'registry.test',
      exp: claims.iat + TTL,
      nbf: claims.iat,
      iat: expect.any(Number),
      jti: expect.stringMatching(/^[\w-]{22}$/),
      access: [{ type: 'repository', name: 'alice/app', actions: ['pull'] }],
    });
    expect(Number.isInteger(claims.exp)).toBe(true);
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);
    expect(claimsOf(second.body.token).jti).not.toBe(claims.jti);
    // A request without scopes (docker login) is a token with no access.
    expect(claimsOf(second.body.token).access).toEqual([]);
  });

  test('is an ES256 JWT whose x5c is the bundle certificate and whose kid is its libtrust id', async () => {
    const { body } = await tokenRequest('?service=registry.test');
    const [header, payload, signature] = body.token.split('.');
    const [pem] = (await bundle()).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!;
    const certificate = new X509Certificate(pem);
    expect(decode(header)).toEqual({ typ: 'JWT', alg: 'ES256', kid: libtrustKeyId(certificate.publicKey), x5c: [certificate.raw.toString('base64')] });
    expect(libtrustKeyId(certificate.publicKey)).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), { key: createPublicKey(certificate.publicKey.export({ type: 'spki', format: 'pem' })), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(certificate.ca).toBe(true);
    expect(certificate.checkIssued(certificate)).toBe(true);
  });

  test('without a service parameter is for this Berth\'s own service', async () => {
    const { status, body } = await tokenRequest('?scope=repository:library/hello:pull');
    expect(status).toBe(200);
    expect(claimsOf(body.token).aud).toBe('registry.test');
  });

  test('accepts offline_token and client_id, and issues no refresh token', async () => {
    const { status, body } = await tokenRequest('?service=registry.test&offline_token=true&client_id=docker&account=alice', alice);
    expect(status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
  });
});

describe('grants', () => {
  test('the intersection of what is asked and what the caller may, never an error', async () => {
    expect(await accessOf('?service=registry.test&scope=repository:alice/app:pull,push,delete')).toEqual([{ type: 'repository', name: 'alice/app', actions: [] }]);
    expect(await accessOf('?service=registry.test&scope=repository:library/hello:pull,push')).toEqual([{ type: 'repository', name: 'library/hello', actions: ['pull'] }]);
  });

  test('"*" asks for every action the caller has', async () => {
    expect(await accessOf('?service=registry.test&scope=repository:alice/app:*', alice)).toEqual([{ type: 'repository', name: 'alice/app', actions: ['pull', 'push', 'delete'] }]);
    expect(await accessOf('?service=registry.test&scope=repository:library/hello:*', alice)).toEqual([{ type: 'repository', name: 'library/hello', actions: ['pull'] }]);
  });

  test('several scopes, repeated and space-separated, as a cross-repository mount asks them', async () => {
    const query = `?service=registry.test&scope=${encodeURIComponent('repository:alice/app:pull,push repository:library/hello:pull')}&scope=repository:alice/other:push`;
    expect(await accessOf(query, alice)).toEqual([
      { type: 'repository', name: 'alice/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'library/hello', actions: ['pull'] },
      { type: 'repository', name: 'alice/other', actions: ['push'] },
    ]);
  });

  test('a name with a registry host before the path is another repository, for admins only: never judged as the path after it', async () => {
    const admin = await addBasicUser(server, 'host-admin', 'admin');
    for (const name of ['localhost:5000/alice/app', 'localhost/alice/app', 'alice.evil/alice/app']) {
      const query = `?service=registry.test&scope=repository:${name}:pull,push`;
      expect(await accessOf(query, alice)).toEqual([{ type: 'repository', name, actions: [] }]);
      expect(await accessOf(query)).toEqual([{ type: 'repository', name, actions: [] }]);
      expect(await accessOf(query, admin)).toEqual([{ type: 'repository', name, actions: ['pull', 'push'] }]);
    }
  });

  test('repository(plugin) is a repository; unknown types and registry resources other than the catalog get nothing', async () => {
    expect(await accessOf('?service=registry.test&scope=repository(plugin):alice/app:pull', alice)).toEqual([{ type: 'repository', name: 'alice/app', actions: ['pull'] }]);
    expect(await accessOf('?service=registry.test&scope=namespace:alice:pull&scope=registry:config:*&scope=registry:catalog:*', alice)).toEqual([
      { type: 'namespace', name: 'alice', actions: [] },
      { type: 'registry', name: 'config', actions: [] },
      { type: 'registry', name: 'catalog', actions: [] },
    ]);
  });

  test('a private repository and one never pushed get the same answer from everyone who may not see them, in library too', async () => {
    await insertRepositories(server.database.db, [
      { namespace: 'library', name: 'hidden', isPublic: false, tags: [{ name: 'latest' }] },
      { namespace: 'alice', name: 'secret', isPublic: false, tags: [{ name: 'latest' }] },
    ]);
    const bob = await addBasicUser(server, 'bob-outsider');
    for (const caller of [undefined, bob]) {
      for (const [hidden, missing] of [['library/hidden', 'library/nothere'], ['alice/secret', 'alice/nothere']]) {
        const [a, b] = await accessOf(`?service=registry.test&scope=repository:${hidden}:pull&scope=repository:${missing}:pull`, caller);
        expect([a.actions, b.actions]).toEqual([[], []]);
      }
    }
    // A public repository is still pulled by anyone, and an admin may pull or push a name never pushed.
    expect((await accessOf('?service=registry.test&scope=repository:library/hello:pull'))[0].actions).toEqual(['pull']);
    const admin = await addBasicUser(server, 'library-admin', 'admin');
    expect((await accessOf('?service=registry.test&scope=repository:library/nothere:pull,push', admin))[0].actions).toEqual(['pull', 'push']);
  });

  test('names Berth does not show (one part, or three) are only for admins', async () => {
    const admin = await addBasicUser(server, 'root-admin', 'admin');
    const query = '?service=registry.test&scope=repository:alice:pull,push&scope=repository:alice/team/app:pull,push';
    expect((await accessOf(query, alice)).map((a: { actions: string[] }) => a.actions)).toEqual([[], []]);
    expect((await accessOf(query, admin)).map((a: { actions: string[] }) => a.actions)).toEqual([['pull', 'push'], ['pull', 'push']]);
  });

  test('an access token grants what its permission allows: READ pulls, WRITE also pushes and deletes', async () => {
    const scope = '?service=registry.test&scope=repository:alice/app:pull,push,delete';
    expect(await accessOf(scope, aliceRead)).toEqual([{ type: 'repository', name: 'alice/app', actions: ['pull'] }]);
    expect(await accessOf(scope, aliceWrite)).toEqual([{ type: 'repository', name: 'alice/app', actions: ['pull', 'push', 'delete'] }]);
    expect(claimsOf((await tokenRequest(scope, aliceRead)).body.token).sub).toBe('alice');
  });

  test('a publicity change applies to the next token', async () => {
    const anonymousPull = () => accessOf('?service=registry.test&scope=repository:alice/app:pull');
    const setPublicity = (publicity: string) =>
      graphql(server, `mutation { setPublicity(input: { namespace: "alice", repository: "app", publicity: ${publicity} }) { clientMutationId } }`, undefined, alice);
    await setPublicity('PUBLIC');
    expect((await anonymousPull())[0].actions).toEqual(['pull']);
    await setPublicity('PRIVATE');
    expect((await anonymousPull())[0].actions).toEqual([]);
  });
});

describe('bad requests get a precise answer and no token', () => {
  test.each([
    ['a malformed scope', '?service=registry.test&scope=repository:alice/App:pull', 400, /scope "repository:alice\/App:pull" is malformed/],
    ['a scope without actions', '?service=registry.test&scope=repository:alice/app', 400, /is malformed/],
    ['an unknown service', '?service=elsewhere&scope=repository:alice/app:pull', 400, /unknown service "elsewhere": this Berth issues tokens for "registry.test"/],
    ['two services', '?service=registry.test&service=registry.test', 400, /service must be given at most once/],
    ['too many scopes', `?service=registry.test${'&scope=repository:a/b:pull'.repeat(65)}`, 400, /at most 64 scopes/],
    ['a query over 8 KiB', `?service=registry.test&scope=repository:a/${'b'.repeat(8200)}:pull`, 414, /at most 8192 characters/],
    ['offline_token that is not a boolean', '?service=registry.test&offline_token=maybe', 400, /offline_token must be true or false/],
    ['a client_id with control characters', '?service=registry.test&client_id=%00', 400, /client_id/],
  ])('%s', async (_what, query, status, message) => {
    const answer = await tokenRequest(query, alice);
    expect({ status: answer.status, code: answer.body.code, data: answer.body.data, token: answer.body.token }).toEqual({ status, code: expect.any(Number), data: null, token: undefined });
    expect(answer.body.message).toMatch(message);
  });

  test('wrong credentials are a 401 with a Basic challenge, whatever the scope', async () => {
    for (const authorization of [basic('alice', 'not-her-password'), basic('alice', 'berth_forged'), basic('nobody', 'whatever-password'), 'Bearer berth_forged']) {
      const answer = await tokenRequest('?service=registry.test&scope=repository:library/hello:pull', authorization);
      expect({ status: answer.status, code: answer.body.code, token: answer.body.token }).toEqual({ status: 401, code: 14009, token: undefined });
      expect(answer.challenge).toMatch(/Basic realm="berth"/);
    }
  });

  test("an access token sent under another account's name is refused", async () => {
    const secret = Buffer.from(aliceWrite.slice('Basic '.length), 'base64').toString().split(':')[1];
    const answer = await tokenRequest('?service=registry.test', basic('mallory', secret));
    expect(answer.status).toBe(401);
  });

  test('POST, the OAuth2 form, answers 404 whatever its body or credentials, so clients fall back to GET', async () => {
    const answer = await tokenRequest('', alice, 'POST');
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 404, code: 14004 });
    expect(answer.body.message).toMatch(/GET/);
    const bodies: [string, string][] = [
      ['application/x-www-form-urlencoded', 'grant_type=password&service=registry.test&client_id=docker&username=alice&password=x'],
      ['application/json', '{"grant_type": "refresh_token"'],
      ['text/plain', 'anything'],
      ['application/octet-stream', 'x'.repeat(100_000)],
    ];
    for (const [type, body] of bodies) {
      const response = await fetch(`${server.url}/registry/v1/token`, { method: 'POST', headers: { 'content-type': type, authorization: basic('alice', 'wrong') }, body });
      expect([type, response.status]).toEqual([type, 404]);
    }
  });
});

describe('signing keys', () => {
  test('every process sharing the database signs with the same key, made once', async () => {
    const other = createServices(server.database.db, { token: server.app.services.registryTokens.settings });
    const [mine, theirs] = await Promise.all([server.app.services.registryTokens.issue(null, { scopes: [] }), other.registryTokens.issue(null, { scopes: [] })]);
    expect(decode(theirs.token.split('.')[0]).x5c).toEqual(decode(mine.token.split('.')[0]).x5c);
    expect(await server.database.db.select({ id: tokenSigningKeys.id }).from(tokenSigningKeys)).toHaveLength(1);
  });

  test('rotation signs with a new key at once and keeps the old certificate in the bundle for one token lifetime', async () => {
    const keys = server.app.services.registryTokens.keys;
    const x5c = async () => decode((await tokenRequest('?service=registry.test')).body.token.split('.')[0]).x5c[0];
    const old = await x5c();
    const rotated = await keys.rotate();
    const fresh = await x5c();
    expect(fresh).not.toBe(old);
    const certificates = rotated.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.map((pem) => new X509Certificate(pem).raw.toString('base64'));
    expect(certificates).toEqual([fresh, old]);
    // One lifetime (and the refresh of other processes) later, the old certificate leaves the bundle.
    await server.database.db.update(tokenSigningKeys).set({ retiredAt: new Date(Date.now() - (TTL + 31) * 1000) }).where(eq(tokenSigningKeys.certificate, (await server.database.db.select().from(tokenSigningKeys)).find((k) => k.retiredAt)!.certificate));
    expect(await keys.bundle()).toBe(rotated.slice(0, rotated.indexOf('-----END CERTIFICATE-----') + 25) + '\n');
  });

  test('no answer of the API holds the private key', async () => {
    const answers = [await tokenRequest('?service=registry.test', alice), await graphql(server, '{ viewer { account { name } } }', undefined, alice)];
    for (const answer of answers) expect(JSON.stringify(answer.body)).not.toMatch(/PRIVATE KEY/);
  });
});

test('metrics count issued tokens, and granted and refused actions', async () => {
  await tokenRequest('?service=registry.test&scope=repository:alice/app:pull,push');
  await tokenRequest('?service=nowhere');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/berth_registry_token_requests_total\{outcome="issued"\} [1-9]/);
  expect(metrics).toMatch(/berth_registry_token_requests_total\{outcome="malformed"\} [1-9]/);
  expect(metrics).toMatch(/berth_registry_token_actions_total\{action="push",outcome="refused"\} [1-9]/);
  expect(metrics).toMatch(/berth_registry_token_actions_total\{action="pull",outcome="granted"\} [1-9]/);
});
