import { getIntrospectionQuery, type IntrospectionObjectType, type IntrospectionQuery } from 'graphql';
import { eq } from 'drizzle-orm';
import { accessTokens, repositories } from '../../src/db/schema';
import { addUser, basic, graphql, startServer, type TestServer } from '../support/harness';
import { insertRepositories } from '../support/seed';

/**
 * Who may do what, on every REST route and every GraphQL query field and
 * mutation. Olivia owns namespace `olivia` with a private repository
 * (`secret`) and a public one (`shown`); Otto is another user; Ada an admin.
 * `readToken` is one of Olivia's access tokens with permission READ: it reads
 * as she does and changes nothing.
 * For everyone who may not see `olivia/secret`, every answer about it must be
 * byte-for-byte the answer about `olivia/absent`, a name never pushed (of
 * the same length, so that even error locations match).
 */
const CALLERS = ['anonymous', 'owner', 'readToken', 'other', 'admin', 'revokedToken', 'expiredToken', 'wrongPassword'] as const;
type Caller = (typeof CALLERS)[number];

/** What a caller gets: success, or the error code (GraphQL extensions.code; REST maps it to a status). */
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'UPSTREAM_FAILURE';
const STATUS: Record<Outcome, number> = { ok: 200, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, UPSTREAM_FAILURE: 503 };

/** Callers whose credentials are refused fail everywhere, even on public routes: bad credentials are never anonymous. */
const REFUSED = { revokedToken: 'UNAUTHENTICATED', expiredToken: 'UNAUTHENTICATED', wrongPassword: 'UNAUTHENTICATED' } as const;
/** The usual shape for reading olivia/secret. */
const READ_PRIVATE = { anonymous: 'NOT_FOUND', owner: 'ok', readToken: 'ok', other: 'NOT_FOUND', admin: 'ok', ...REFUSED } as const;
/** ...and for changing it: anonymous callers are asked to sign in, others do not learn it exists. */
const CHANGE_PRIVATE = { ...READ_PRIVATE, anonymous: 'UNAUTHENTICATED', readToken: 'FORBIDDEN' } as const;
/** Changing olivia/shown, which everyone can see but only its owner and admins manage. */
const CHANGE_PUBLIC = { ...CHANGE_PRIVATE, other: 'FORBIDDEN' } as const;
const EVERYONE = { anonymous: 'ok', owner: 'ok', readToken: 'ok', other: 'ok', admin: 'ok', ...REFUSED } as const;
const SIGNED_IN = { ...EVERYONE, anonymous: 'UNAUTHENTICATED' } as const;
/** A change every signed-in caller may make to their own account, except with a READ token, which changes nothing. */
const CHANGE_OWN = { ...SIGNED_IN, readToken: 'FORBIDDEN' } as const;
const ADMINS = { ...CHANGE_OWN, owner: 'FORBIDDEN', other: 'FORBIDDEN' } as const;

interface Row {
  /** `{repo}` is replaced by the repository under test: `secret` (or `absent` for the comparison), or `shown`. */
  request: string;
  expected: Record<Caller, Outcome>;
  /** Further checks on a successful answer. */
  check?: (body: string, caller: Caller) => void;
}

interface RestRow extends Row {
  /** The route as Fastify registered it, e.g. "GET /registry/v1/tag/list/:namespace/:image". */
  route: string;
  body?: unknown;
}

/** The account a caller signs in as. */
const accountOf = (caller: Caller) => ({ owner: 'olivia', readToken: 'olivia', other: 'otto', admin: 'ada' })[caller as string] ?? null;

/** A private repository's names must not appear in what these callers get. */
const blind = (caller: Caller) => caller === 'anonymous' || caller === 'other';
const hidesSecret = (body: string, caller: Caller) => {
  if (blind(caller)) expect(body).not.toMatch(/secret/);
  else expect(body).toMatch(/olivia\/secret|"Image":"secret"/);
};

const REST: RestRow[] = [
  { route: 'GET /registry/v1/repositories/public', request: 'GET /registry/v1/repositories/public', expected: EVERYONE, check: (body) => expect(body).not.toMatch(/secret/) },
  { route: 'GET /registry/v1/repositories/public', request: 'GET /registry/v1/repositories/public?keywords=secret', expected: EVERYONE, check: (body) => expect(JSON.parse(body).data).toEqual([]) },
  {
    route: 'GET /registry/v1/repositories/mine',
    request: 'GET /registry/v1/repositories/mine',
    expected: SIGNED_IN,
    check: (body, caller) => (accountOf(caller) === 'olivia' ? expect(body).toMatch(/"Image":"secret"/) : expect(body).not.toMatch(/olivia/)),
  },
  { route: 'GET /registry/v1/repositories/mine', request: 'GET /registry/v1/repositories/mine?keywords=secret', expected: SIGNED_IN },
  { route: 'GET /registry/v1/tag/list/:namespace/:image', request: 'GET /registry/v1/tag/list/olivia/{repo}', expected: READ_PRIVATE },
  { route: 'GET /registry/v1/tag/list/:namespace/:image', request: 'GET /registry/v1/tag/list/olivia/shown', expected: EVERYONE },
  { route: 'GET /registry/v1/tag/list/:repository', request: 'GET /registry/v1/tag/list/olivia%2F{repo}', expected: READ_PRIVATE },
  { route: 'GET /registry/v1/manifests/:reference/:namespace/:image', request: 'GET /registry/v1/manifests/v1/olivia/{repo}', expected: READ_PRIVATE },
  { route: 'GET /registry/v1/manifests/:reference/:namespace/:image', request: 'GET /registry/v1/manifests/v1/olivia/shown', expected: EVERYONE },
  { route: 'DELETE /registry/v1/manifests/:reference/:namespace/:image', request: 'DELETE /registry/v1/manifests/v1/olivia/{repo}', expected: CHANGE_PRIVATE },
  { route: 'DELETE /registry/v1/manifests/:reference/:namespace/:image', request: 'DELETE /registry/v1/manifests/v1/olivia/shown', expected: CHANGE_PUBLIC },
  { route: 'DELETE /registry/v1/manifests/:namespace/:image', request: 'DELETE /registry/v1/manifests/olivia/{repo}?tag=v1', expected: CHANGE_PRIVATE },
  { route: 'DELETE /registry/v1/manifests/:namespace/:image', request: 'DELETE /registry/v1/manifests/olivia/{repo}', expected: CHANGE_PRIVATE },
  { route: 'DELETE /registry/v1/manifests/:namespace/:image', request: 'DELETE /registry/v1/manifests/olivia/shown', expected: CHANGE_PUBLIC },
  { route: 'PATCH /registry/v1/:namespace/:image/publicity', request: 'PATCH /registry/v1/olivia/{repo}/publicity', body: { Publicity: 1 }, expected: CHANGE_PRIVATE },
  { route: 'PATCH /registry/v1/:namespace/:image/publicity', request: 'PATCH /registry/v1/olivia/shown/publicity', body: { Publicity: 0 }, expected: CHANGE_PUBLIC },
  {
    route: 'GET /registry/v1/namespace',
    request: 'GET /registry/v1/namespace',
    expected: SIGNED_IN,
    check: (body, caller) => expect(JSON.parse(body).data.Namespace).toBe(accountOf(caller)),
  },
  // Every caller who may create one already has a namespace; creating one is tested in namespaces.test.ts.
  { route: 'POST /registry/v1/namespace', request: 'POST /registry/v1/namespace', body: { Namespace: 'fresh' }, expected: { ...CHANGE_OWN, owner: 'CONFLICT', other: 'CONFLICT', admin: 'CONFLICT' } },
  // What each caller may do with a token is the "registry tokens" matrix below.
  { route: 'GET /registry/v1/token', request: 'GET /registry/v1/token?service=berth-registry', expected: EVERYONE },
  // OAuth2's POST is not offered: 404 before credentials or body are read, the spec's signal to fall back to GET.
  { route: 'POST /registry/v1/token', request: 'POST /registry/v1/token', expected: Object.fromEntries(CALLERS.map((caller) => [caller, 'NOT_FOUND'])) as Record<Caller, Outcome> },
];

/**
 * Routes that serve no repository data to accounts: probes, metrics (labelled
 * by route template, never by repository), the front page and its icon,
 * GraphiQL's static files, and the registry's webhook (which has its own
 * shared secret, see notifications tests).
 */
const OUTSIDE_ACCESS_CONTROL = [/^GET \/(healthz|readyz|metrics|favicon\.ico)?$/, /^GET \/graphiql\//, /^POST \/registry\/v1\/notifications$/];

const GRAPHQL: (Row & { field: string })[] = [
  { field: 'Query.repository', request: '{ repository(namespace: "olivia", name: "{repo}") { fullName publicity pullCount } }', expected: READ_PRIVATE },
  {
    field: 'Query.repository',
    request: '{ repository(namespace: "olivia", name: "{repo}") { tags { totalCount nodes { name digest } } tag(name: "v1") { digest } manifest(reference: "v1") { digest } latestTag { name } } }',
    expected: READ_PRIVATE,
  },
  { field: 'Query.repository', request: '{ repository(namespace: "olivia", name: "shown") { fullName tags { totalCount } } }', expected: EVERYONE },
  { field: 'Query.repositories', request: '{ repositories { totalCount nodes { fullName latestTag { name } } } }', expected: EVERYONE, check: hidesSecret },
  { field: 'Query.repositories', request: '{ repositories(keywords: "secret") { totalCount nodes { fullName } } }', expected: EVERYONE, check: hidesSecret },
  {
    field: 'Query.repositories',
    request: '{ repositories(scope: PUBLIC) { totalCount nodes { fullName tags { nodes { repository { fullName } } } } } }',
    expected: EVERYONE,
    check: (body) => expect(body).not.toMatch(/secret/),
  },
  { field: 'Query.repositories', request: '{ repositories(scope: MINE) { totalCount nodes { fullName } } }', expected: SIGNED_IN },
  {
    field: 'Query.viewer',
    request: '{ viewer { account { name role } namespace { name } } }',
    expected: EVERYONE,
    check: (body, caller) => expect(JSON.parse(body).data.viewer.account?.name ?? null).toBe(accountOf(caller)),
  },
  { field: 'Query.viewer', request: '{ viewer { tokens { name } } }', expected: SIGNED_IN },
  { field: 'Mutation.deleteTag', request: 'mutation { deleteTag(input: { namespace: "olivia", repository: "{repo}", tag: "v1" }) { repositoryRemoved } }', expected: CHANGE_PRIVATE },
  { field: 'Mutation.deleteTag', request: 'mutation { deleteTag(input: { namespace: "olivia", repository: "shown", tag: "v1" }) { repositoryRemoved } }', expected: CHANGE_PUBLIC },
  { field: 'Mutation.deleteRepository', request: 'mutation { deleteRepository(input: { namespace: "olivia", repository: "{repo}" }) { repositoryRemoved } }', expected: CHANGE_PRIVATE },
  { field: 'Mutation.deleteRepository', request: 'mutation { deleteRepository(input: { namespace: "olivia", repository: "shown" }) { repositoryRemoved } }', expected: CHANGE_PUBLIC },
  { field: 'Mutation.setPublicity', request: 'mutation { setPublicity(input: { namespace: "olivia", repository: "{repo}", publicity: PUBLIC }) { repository { publicity } } }', expected: CHANGE_PRIVATE },
  { field: 'Mutation.setPublicity', request: 'mutation { setPublicity(input: { namespace: "olivia", repository: "shown", publicity: PRIVATE }) { repository { publicity } } }', expected: CHANGE_PUBLIC },
  { field: 'Mutation.createAccount', request: 'mutation { createAccount(input: { name: "{unique}" }) { account { name role } generatedPassword } }', expected: ADMINS },
  { field: 'Mutation.changePassword', request: 'mutation { changePassword(input: { currentPassword: "{password}", newPassword: "{password}" }) { account { name } } }', expected: CHANGE_OWN },
  { field: 'Mutation.createNamespace', request: 'mutation { createNamespace(input: { name: "fresh" }) { namespace { name } } }', expected: { ...CHANGE_OWN, owner: 'CONFLICT', other: 'CONFLICT', admin: 'CONFLICT' } },
  // Every caller here signs in with a token, and a token cannot make tokens (with a password it can: tokens.test.ts).
  { field: 'Mutation.createToken', request: 'mutation { createToken(input: { name: "ci" }) { secret token { name } } }', expected: { ...CHANGE_OWN, owner: 'FORBIDDEN', other: 'FORBIDDEN', admin: 'FORBIDDEN' } },
  // zed is an account of no other use here, so revoking its tokens changes no other row.
  { field: 'Mutation.revokeAccountTokens', request: 'mutation { revokeAccountTokens(input: { account: "zed" }) { revoked } }', expected: ADMINS },
  // No registry is configured here, so an admin gets as far as the registry and no further.
  { field: 'Mutation.syncRegistry', request: 'mutation { syncRegistry(input: {}) { __typename } }', expected: { ...ADMINS, admin: 'UPSTREAM_FAILURE' } },
  // {ownerToken} is a live token of olivia's: only she may revoke it; to anyone else it does not exist.
  { field: 'Mutation.revokeToken', request: 'mutation { revokeToken(input: { id: {ownerToken} }) { token { name } } }', expected: { ...CHANGE_OWN, other: 'NOT_FOUND', admin: 'NOT_FOUND' } },
];

let server: TestServer;
const authorization = {} as Record<Caller, string | undefined>;
const passwords: Partial<Record<Caller, string>> = { owner: 'olivia-password', readToken: 'olivia-password', other: 'otto-password', admin: 'ada-password' };

/** One of Olivia's tokens; made with her password, as a token cannot make tokens. */
async function createToken(expiresAt?: Date) {
  const { body } = await graphql(
    server,
    'mutation($expiresAt: DateTimeISO) { createToken(input: { name: "matrix", expiresAt: $expiresAt }) { secret token { id } } }',
    { expiresAt },
    basic('olivia', 'olivia-password'),
  );
  return body.data.createToken as { secret: string; token: { id: number } };
}

/** Every case starts from the same repositories, so deletes and publicity changes of one case do not leak into the next. */
async function resetRepositories() {
  await server.database.db.delete(repositories);
  await insertRepositories(server.database.db, [
    { namespace: 'olivia', name: 'secret', isPublic: false, pullCount: 7, tags: [{ name: 'v1' }, { name: 'v2' }] },
    { namespace: 'olivia', name: 'shown', isPublic: true, tags: [{ name: 'v1' }] },
    { namespace: 'library', name: 'busybox', isPublic: true, tags: [{ name: 'latest' }] },
    { namespace: 'otto', name: 'hidden', isPublic: false, tags: [{ name: 'v1' }] },
    // A namespace registry events created before anyone owned it.
    { namespace: 'unowned', name: 'app', isPublic: false, tags: [{ name: 'v1' }] },
  ]);
}

beforeAll(async () => {
  // Wrong passwords are part of the matrix; the sign-in limit has its own test.
  server = await startServer({ env: { BERTH_SIGNIN_MAX_FAILURES: '100000' } });
  authorization.owner = await addUser(server, 'olivia');
  authorization.other = await addUser(server, 'otto');
  authorization.admin = await addUser(server, 'ada', 'admin');
  await addUser(server, 'zed');
  authorization.anonymous = undefined;
  authorization.wrongPassword = basic('olivia', 'not-her-password');
  // Made without a permission, so READ.
  authorization.readToken = `Bearer ${(await createToken()).secret}`;
  const revoked = await createToken();
  await graphql(server, `mutation { revokeToken(input: { id: ${revoked.token.id} }) { token { id } } }`, undefined, authorization.owner);
  authorization.revokedToken = `Bearer ${revoked.secret}`;
  // Expired by moving its expiry into the past, so a slow machine cannot make the creation itself fail.
  const expired = await createToken(new Date(Date.now() + 60_000));
  await server.database.db.update(accessTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accessTokens.id, expired.token.id));
  authorization.expiredToken = `Bearer ${expired.secret}`;
});
afterAll(() => server?.close());

let unique = 0;
async function fill(template: string, caller: Caller) {
  let text = template.replaceAll('{password}', passwords[caller] ?? 'irrelevant-password').replace('{unique}', `new-account-${++unique}`);
  if (text.includes('{ownerToken}')) text = text.replace('{ownerToken}', String((await createToken()).token.id));
  return text;
}

async function rest(row: RestRow, caller: Caller, repo: string) {
  const [method, path] = (await fill(row.request, caller)).replace('{repo}', repo).split(' ');
  const headers: Record<string, string> = {};
  if (authorization[caller]) headers.authorization = authorization[caller]!;
  if (row.body) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body: row.body ? JSON.stringify(row.body) : undefined });
  return { status: response.status, body: await response.text(), challenge: response.headers.get('www-authenticate') };
}

async function gql(row: Row, caller: Caller, repo: string) {
  const query = (await fill(row.request, caller)).replace('{repo}', repo);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization[caller]) headers.authorization = authorization[caller]!;
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
  const body = await response.text();
  const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, body, outcome: parsed.errors?.[0]?.extensions?.code ?? 'ok' };
}

const cases = <R extends Row>(rows: R[]) =>
  rows.flatMap((row) => CALLERS.map((caller) => ({ row, caller, expected: row.expected[caller], name: `${caller} → ${row.request}` })));

describe('REST', () => {
  beforeEach(resetRepositories);

  test.each(cases(REST))('$name answers $expected', async ({ row, caller, expected }) => {
    const answer = await rest(row, caller, 'secret');
    expect({ status: answer.status, body: answer.body }).toEqual({ status: STATUS[expected], body: expect.any(String) });
    if (expected === 'ok') row.check?.(answer.body, caller);
    else expect(JSON.parse(answer.body)).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
    if (expected === 'UNAUTHENTICATED') expect(answer.challenge).toMatch(/Basic realm="berth"/);
    if (row.request.includes('{repo}') && blind(caller)) {
      const missing = await rest(row, caller, 'absent');
      expect({ status: answer.status, body: answer.body }).toEqual({ status: missing.status, body: missing.body.replaceAll('absent', 'secret') });
    }
  });

  test('every route has a row', () => {
    const covered = new Set(REST.map((r) => r.route));
    const served = server.app.routes.filter((r) => !r.includes(' /graphql') && !OUTSIDE_ACCESS_CONTROL.some((p) => p.test(r)));
    expect(served.filter((r) => !covered.has(r))).toEqual([]);
  });

  test('metrics name no repository', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/berth_http_requests_total/);
    expect(metrics).not.toMatch(/secret|absent/);
  });
});

describe('GraphQL', () => {
  beforeEach(resetRepositories);

  test.each(cases(GRAPHQL))('$name answers $expected', async ({ row, caller, expected }) => {
    const answer = await gql(row, caller, 'secret');
    expect(answer.outcome).toBe(expected);
    if (expected === 'ok') row.check?.(answer.body, caller);
    if (row.request.includes('{repo}') && blind(caller)) {
      const missing = await gql(row, caller, 'absent');
      expect(answer.body).toBe(missing.body.replaceAll('absent', 'secret'));
    }
  });

  test('every query field and mutation has a row', async () => {
    const { body } = await graphql<IntrospectionQuery>(server, getIntrospectionQuery());
    const fields = body.data!.__schema.types
      .filter((t): t is IntrospectionObjectType => t.name === 'Query' || t.name === 'Mutation')
      .flatMap((t) => t.fields.map((f) => `${t.name}.${f.name}`));
    const covered = new Set(GRAPHQL.map((r) => r.field));
    expect(fields.filter((f) => !covered.has(f))).toEqual([]);
  });
});

/**
 * The registry's side of the same rules: the token each caller gets for
 * pull, push, delete and the catalog, on a public repository, the owner's
 * private one, another user's private one, one in a namespace nobody owns,
 * and one in a namespace that does not exist yet.
 */
describe('registry tokens', () => {
  beforeAll(resetRepositories);

  type Grants = Record<string, string>;
  const none = '';
  /** The actions granted per resource, for each caller who gets a token at all. */
  const GRANTS: Record<'anonymous' | 'owner' | 'readToken' | 'other' | 'admin', Grants> = {
    anonymous: { 'olivia/shown': 'pull', 'olivia/secret': none, 'otto/hidden': none, 'unowned/app': none, 'nobody-yet/app': none, 'library/busybox': 'pull', catalog: none },
    owner: { 'olivia/shown': 'pull,push,delete', 'olivia/secret': 'pull,push,delete', 'otto/hidden': none, 'unowned/app': none, 'nobody-yet/app': none, 'library/busybox': 'pull', catalog: none },
    readToken: { 'olivia/shown': 'pull', 'olivia/secret': 'pull', 'otto/hidden': none, 'unowned/app': none, 'nobody-yet/app': none, 'library/busybox': 'pull', catalog: none },
    other: { 'olivia/shown': 'pull', 'olivia/secret': none, 'otto/hidden': 'pull,push,delete', 'unowned/app': none, 'nobody-yet/app': none, 'library/busybox': 'pull', catalog: none },
    admin: { 'olivia/shown': 'pull,push,delete', 'olivia/secret': 'pull,push,delete', 'otto/hidden': 'pull,push,delete', 'unowned/app': 'pull,push,delete', 'nobody-yet/app': 'pull,push,delete', 'library/busybox': 'pull,push,delete', catalog: '*' },
  };
  const RESOURCES = Object.keys(GRANTS.admin);
  const scopeOf = (resource: string) => (resource === 'catalog' ? 'registry:catalog:*' : `repository:${resource}:pull,push,delete`);

  async function token(caller: Caller, scopes: string[]) {
    const query = new URLSearchParams([['service', 'berth-registry'], ...scopes.map((scope): [string, string] => ['scope', scope])]);
    const headers: Record<string, string> = authorization[caller] ? { authorization: authorization[caller]! } : {};
    const response = await fetch(`${server.url}/registry/v1/token?${query}`, { headers });
    const body = (await response.json()) as { token?: string; message?: string };
    const claims = body.token ? JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString()) : null;
    return { status: response.status, body, claims };
  }

  test.each(CALLERS.flatMap((caller) => RESOURCES.map((resource) => ({ caller, resource }))))('$caller asking for $resource', async ({ caller, resource }) => {
    const answer = await token(caller, [scopeOf(resource)]);
    if (caller in REFUSED) {
      expect(answer.status).toBe(401);
      expect(answer.body.token).toBeUndefined();
      return;
    }
    expect(answer.status).toBe(200);
    const granted = GRANTS[caller as keyof typeof GRANTS][resource];
    expect(answer.claims.access).toEqual([{ type: resource === 'catalog' ? 'registry' : 'repository', name: resource, actions: granted ? granted.split(',') : [] }]);
    expect(answer.claims.sub).toBe(accountOf(caller) ?? '');
  });

  test('pull is granted exactly where GraphQL shows the repository, and push and delete where setPublicity is allowed', async () => {
    for (const caller of ['anonymous', 'owner', 'readToken', 'other', 'admin'] as const) {
      for (const resource of RESOURCES.filter((r) => r !== 'catalog' && r !== 'nobody-yet/app')) {
        const [namespace, name] = resource.split('/');
        const [{ claims }, shown] = await Promise.all([token(caller, [scopeOf(resource)]), gql({ request: `{ repository(namespace: "${namespace}", name: "${name}") { isPublic: publicity } }`, expected: EVERYONE }, caller, name)]);
        const actions: string[] = claims.access[0].actions;
        expect({ caller, resource, pull: actions.includes('pull') }).toEqual({ caller, resource, pull: shown.outcome === 'ok' });
        const publicity = shown.outcome === 'ok' ? JSON.parse(shown.body).data.repository.isPublic : 'PRIVATE';
        const change = await gql({ request: `mutation { setPublicity(input: { namespace: "${namespace}", repository: "${name}", publicity: ${publicity} }) { clientMutationId } }`, expected: EVERYONE }, caller, name);
        expect({ caller, resource, push: actions.includes('push'), delete: actions.includes('delete') }).toEqual({ caller, resource, push: change.outcome === 'ok', delete: change.outcome === 'ok' });
      }
    }
  });
});
