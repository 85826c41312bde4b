import { asc } from 'drizzle-orm';
import { manifests, repositories, tags } from '../../src/db/schema';
import { loadDemo } from '../../src/demo';
import { EMPTY_LAYER_DIGEST } from '../../src/rest/schema1';
import { addUser, basic, startServer, type TestServer } from '../support/harness';
import { MAX_PAGE_SIZE } from '../../src/services/pagination';
import { fakeDigest, insertRepositories, seed, type SeededRepository } from '../support/seed';

interface LegacyResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

interface CallOptions {
  authorization?: string;
  body?: string;
  contentType?: string;
}

async function call(server: TestServer, method: string, path: string, options: CallOptions = {}): Promise<LegacyResponse> {
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  if (options.contentType) headers['content-type'] = options.contentType;
  const response = await fetch(`${server.url}/registry/v1${path}`, { method, headers, body: options.body });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

const REPOSITORY_KEYS = ['CreatedAt', 'DeletedAt', 'ID', 'Image', 'LatestTag', 'Namespace', 'Publicity', 'PullCount', 'PushCount', 'UpdatedAt'];
const TAG_KEYS = ['CreatedAt', 'DeletedAt', 'Digest', 'ID', 'Image', 'Namespace', 'Publicity', 'PullCount', 'PushCount', 'Size', 'Tag', 'UpdatedAt'];
const RFC3339_UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The legacy form of a time: RFC 3339 in UTC, fractions of a second dropped. */
const legacyTime = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z');
const names = (data: { Namespace: string; Image: string }[]) => data.map((r) => `${r.Namespace}/${r.Image}`);

function expectSuccess(response: LegacyResponse) {
  expect(response.status).toBe(200);
  expect(Object.keys(response.body).sort()).toEqual(['code', 'data']);
  expect(response.body.code).toBe(0);
  return response.body.data;
}

function expectLegacyError(response: LegacyResponse, status: number) {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { code: expect.any(Number), data: null, message: expect.any(String) },
  });
  expect(Number.isInteger(response.body.code)).toBe(true);
  expect(response.body.code).not.toBe(0);
  expect(response.body.message.length).toBeGreaterThan(0);
  if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
}

/** Everything a legacy route could change, to prove a failed request changed nothing. */
async function databaseState(server: TestServer) {
  const { db } = server.database;
  return {
    repositories: await db.select().from(repositories).orderBy(asc(repositories.id)),
    tags: await db.select().from(tags).orderBy(asc(tags.id)),
    manifests: await db.select({ id: manifests.id, digest: manifests.digest }).from(manifests).orderBy(asc(manifests.id)),
  };
}

const at = (iso: string) => new Date(iso);

describe('documented shapes', () => {
  let server: TestServer;
  let alice: string;
  let admin: string;
  let registry: SeededRepository;
  let nginx: SeededRepository;
  let secret: SeededRepository;
  let empty: SeededRepository;

  beforeAll(async () => {
    server = await startServer();
    alice = await addUser(server, 'alice');
    admin = await addUser(server, 'root', 'admin');
    [registry, nginx, secret, empty] = await insertRepositories(server.database.db, [
      {
        namespace: 'library',
        name: 'registry',
        createdAt: at('2016-08-03T07:58:53.750Z'),
        pullCount: 28,
        pushCount: 6,
        tags: [
          { name: 'v1', pushedAt: at('2016-08-03T08:00:00Z'), layers: [51_200_000, 2_800], configSize: 1_480, pullCount: 9, pushCount: 2 },
          { name: 'v3', pushedAt: at('2016-08-03T08:23:40Z'), layers: [51_200_000, 3_300, 1_200], configSize: 1_500, pullCount: 11, pushCount: 3 },
          { name: 'v2', pushedAt: at('2016-08-03T08:10:12Z'), layers: [51_200_000, 3_100], configSize: 1_490, pullCount: 8, pushCount: 1 },
        ],
      },
      {
        namespace: 'alice',
        name: 'nginx',
        createdAt: at('2016-08-03T08:55:01Z'),
        pullCount: 1,
        pushCount: 1,
        tags: [{ name: 'latest', layers: [27_100_000, 24_000_000, 4_129_862], configSize: 1_480 }],
      },
      { namespace: 'alice', name: 'secret', isPublic: false, createdAt: at('2016-08-04T10:00:00Z'), tags: [{ name: '1.0' }] },
      { namespace: 'library', name: 'empty', createdAt: at('2016-08-01T00:00:00Z'), tags: [] },
    ]);
  });
  afterAll(() => server.close());

  test('GET /repositories/public lists public repositories newest first with exactly the documented fields', async () => {
    const data = expectSuccess(await call(server, 'GET', '/repositories/public'));
    expect(names(data)).toEqual(['alice/nginx', 'library/registry', 'library/empty']);
    for (const item of data) expect(Object.keys(item).sort()).toEqual(REPOSITORY_KEYS);
    expect(data[1]).toEqual({
      CreatedAt: '2016-08-03T07:58:53Z',
      DeletedAt: null,
      ID: registry.id,
      Image: 'registry',
      LatestTag: 'v3',
      Namespace: 'library',
      Publicity: 1,
      PullCount: 28,
      PushCount: 6,
      UpdatedAt: '2016-08-03T08:23:40Z',
    });
    expect(data[0]).toMatchObject({ ID: nginx.id, Namespace: 'alice', Image: 'nginx', LatestTag: 'latest', PullCount: 1, PushCount: 1 });
    expect(data[2]).toMatchObject({ ID: empty.id, LatestTag: '' });
    for (const item of data) {
      expect(Number.isInteger(item.ID)).toBe(true);
      expect(Number.isInteger(item.PullCount)).toBe(true);
      expect(Number.isInteger(item.PushCount)).toBe(true);
      expect(item.CreatedAt).toMatch(RFC3339_UTC_SECONDS);
      expect(item.UpdatedAt).toMatch(RFC3339_UTC_SECONDS);
    }
  });

  test('GET /repositories/mine lists the caller’s namespace newest first, private ones included', async () => {
    const data = expectSuccess(await call(server, 'GET', '/repositories/mine', { authorization: alice }));
    expect(names(data)).toEqual(['alice/secret', 'alice/nginx']);
    for (const item of data) expect(Object.keys(item).sort()).toEqual(REPOSITORY_KEYS);
    expect(data[0]).toEqual({
      CreatedAt: legacyTime(secret.createdAt),
      DeletedAt: null,
      ID: secret.id,
      Image: 'secret',
      LatestTag: '1.0',
      Namespace: 'alice',
      Publicity: 0,
      PullCount: 0,
      PushCount: 1,
      UpdatedAt: legacyTime(secret.lastPushedAt),
    });
  });

  test('GET /repositories/mine of an admin holds the ownerless library namespace too', async () => {
    const data = expectSuccess(await call(server, 'GET', '/repositories/mine', { authorization: admin }));
    expect(names(data)).toEqual(['library/registry', 'library/empty']);
  });

  test('GET /tag/list/:namespace/:image lists every tag with exactly the documented fields', async () => {
    const data = expectSuccess(await call(server, 'GET', '/tag/list/library/registry'));
    expect(data.map((t: { Tag: string }) => t.Tag)).toEqual(['v1', 'v2', 'v3']);
    for (const item of data) expect(Object.keys(item).sort()).toEqual(TAG_KEYS);
    const v3 = registry.tags.find((t) => t.name === 'v3')!;
    expect(data[2]).toEqual({
      CreatedAt: '2016-08-03T08:23:40Z',
      DeletedAt: null,
      Digest: v3.digest,
      ID: v3.id,
      Image: 'registry',
      Namespace: 'library',
      Publicity: 1,
      Size: 1_500 + 51_200_000 + 3_300 + 1_200,
      Tag: 'v3',
      PullCount: 11,
      PushCount: 3,
      UpdatedAt: '2016-08-03T08:23:40Z',
    });
    expect(data[0]).toMatchObject({ Size: 1_480 + 51_200_000 + 2_800, PullCount: 9, PushCount: 2, Digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  });

  test('GET /tag/list takes namespace/image as one URL-encoded segment', async () => {
    const split = await call(server, 'GET', '/tag/list/library/registry');
    const encoded = await call(server, 'GET', '/tag/list/library%2Fregistry');
    expect(encoded.status).toBe(200);
    expect(encoded.body).toEqual(split.body);
  });

  test('GET /tag/list of a private repository answers its owner with Publicity 0', async () => {
    const data = expectSuccess(await call(server, 'GET', '/tag/list/alice/secret', { authorization: alice }));
    expect(data).toEqual([expect.objectContaining({ Tag: '1.0', Publicity: 0, Namespace: 'alice', Image: 'secret' })]);
  });

  test('GET /tag/list of a repository without tags is an empty list', async () => {
    expect(expectSuccess(await call(server, 'GET', '/tag/list/library/empty'))).toEqual([]);
  });

  test('GET /manifests/:tag/:namespace/:image answers the schema-1 shape', async () => {
    const data = expectSuccess(await call(server, 'GET', '/manifests/v3/library/registry'));
    expect(Object.keys(data).sort()).toEqual(['architecture', 'fsLayers', 'history', 'name', 'schemaVersion', 'tag']);
    expect(data).toMatchObject({ name: 'library/registry', tag: 'v3', architecture: 'amd64', schemaVersion: 1 });
    const v3 = registry.tags.find((t) => t.name === 'v3')!;
    // Newest first, as schema 1 lists them.
    expect(data.fsLayers).toEqual([...v3.layers].reverse().map((l) => ({ blobSum: l.digest })));
    expect(data.history).toHaveLength(data.fsLayers.length);
    const v1 = data.history.map((h: { v1Compatibility: unknown }) => {
      expect(typeof h.v1Compatibility).toBe('string');
      return JSON.parse(h.v1Compatibility as string);
    });
    expect(v1[0]).toMatchObject({ architecture: 'amd64', os: 'linux', id: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Each entry names the next (older) one as its parent; the oldest has none.
    for (let i = 0; i < v1.length - 1; i++) expect(v1[i].parent).toBe(v1[i + 1].id);
    expect(v1[v1.length - 1].parent).toBeUndefined();
    expect(v1[v1.length - 1].container_config.Cmd).toEqual(['/bin/sh -c step 0']);
  });

  test('GET /manifests/:digest/:namespace/:image answers the same manifest by digest', async () => {
    const v2 = registry.tags.find((t) => t.name === 'v2')!;
    const byTag = expectSuccess(await call(server, 'GET', '/manifests/v2/library/registry'));
    const byDigest = expectSuccess(await call(server, 'GET', `/manifests/${v2.digest}/library/registry`));
    expect(byDigest).toEqual({ ...byTag, tag: v2.digest });
  });

  test('GET /manifests of a private repository answers its owner', async () => {
    const data = expectSuccess(await call(server, 'GET', '/manifests/1.0/alice/secret', { authorization: alice }));
    expect(data).toMatchObject({ name: 'alice/secret', tag: '1.0', schemaVersion: 1 });
  });
});

describe('keywords', () => {
  let server: TestServer;
  let alice: string;

  beforeAll(async () => {
    server = await startServer();
    alice = await addUser(server, 'alice');
    await insertRepositories(server.database.db, [
      { namespace: 'library', name: 'a_b' },
      { namespace: 'library', name: 'axb' },
      { namespace: 'library', name: 'Redis' },
      { namespace: 'alice', name: 'web' },
      { namespace: 'alice', name: 'a_b' },
      { namespace: 'alice', name: 'hidden_thing', isPublic: false },
    ]);
  });
  afterAll(() => server.close());

  const publicWith = async (query: string) => names(expectSuccess(await call(server, 'GET', `/repositories/public?keywords=${query}`)));
  const mineWith = async (query: string) => names(expectSuccess(await call(server, 'GET', `/repositories/mine?keywords=${query}`, { authorization: alice })));

  test('match the image name or the namespace, newest first, ignoring case', async () => {
    expect(await publicWith('redis')).toEqual(['library/Redis']);
    expect(await publicWith('alice')).toEqual(['alice/a_b', 'alice/web']);
    expect(await publicWith('LIBR')).toEqual(['library/Redis', 'library/axb', 'library/a_b']);
    expect(await mineWith('web')).toEqual(['alice/web']);
  });

  test('an underscore matches only an underscore', async () => {
    expect(await publicWith('a_b')).toEqual(['alice/a_b', 'library/a_b']);
    expect(await mineWith('a_b')).toEqual(['alice/a_b']);
    expect(await mineWith('n_t')).toEqual(['alice/hidden_thing']);
  });

  test('a percent sign matches only a percent sign', async () => {
    expect(await publicWith('%25')).toEqual([]);
    expect(await publicWith('a%25b')).toEqual([]);
    expect(await mineWith('%25')).toEqual([]);
  });

  test('an unencoded percent sign in the query string is taken literally too', async () => {
    expect(await publicWith('%')).toEqual([]);
  });

  test('a backslash matches only a backslash', async () => {
    expect(await publicWith('%5C')).toEqual([]);
    expect(await publicWith('a%5C_b')).toEqual([]);
  });

  test('a NUL character matches nothing, on both lists', async () => {
    expect(await publicWith('a%00')).toEqual([]);
    expect(await mineWith('%00')).toEqual([]);
  });

  test('an empty keyword lists everything', async () => {
    expect(await publicWith('')).toHaveLength(5);
  });

  test('keywords given twice are a bad request', async () => {
    expectLegacyError(await call(server, 'GET', '/repositories/public?keywords=a&keywords=b'), 400);
  });
});

describe('changes', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeAll(async () => {
    server = await startServer();
    alice = await addUser(server, 'alice');
    bob = await addUser(server, 'bob');
    admin = await addUser(server, 'root', 'admin');
  });
  afterAll(() => server.close());

  const seedRepository = (name: string, tagNames: string[], isPublic = true) =>
    insertRepositories(server.database.db, [{ namespace: 'alice', name, isPublic, tags: tagNames.map((t) => ({ name: t })) }]).then(([r]) => r);
  const tagsOf = async (path: string, authorization = alice) =>
    expectSuccess(await call(server, 'GET', `/tag/list/${path}`, { authorization })).map((t: { Tag: string }) => t.Tag);

  test('DELETE /manifests/:reference/:namespace/:image deletes that tag only', async () => {
    await seedRepository('del-one', ['a', 'b', 'c']);
    const response = await call(server, 'DELETE', '/manifests/b/alice/del-one', { authorization: alice });
    expect(response.body).toEqual({ code: 0, data: 'success' });
    expect(response.status).toBe(200);
    expect(await tagsOf('alice/del-one')).toEqual(['a', 'c']);
  });

  test('deleting the last tag removes the repository', async () => {
    await seedRepository('del-last', ['only']);
    expectSuccess(await call(server, 'DELETE', '/manifests/only/alice/del-last', { authorization: alice }));
    expectLegacyError(await call(server, 'GET', '/tag/list/alice/del-last', { authorization: alice }), 404);
    const mine = expectSuccess(await call(server, 'GET', '/repositories/mine', { authorization: alice }));
    expect(names(mine)).not.toContain('alice/del-last');
  });

  test('DELETE /manifests/:namespace/:image?tag= deletes one tag', async () => {
    await seedRepository('del-query', ['a', 'b']);
    expect(expectSuccess(await call(server, 'DELETE', '/manifests/alice/del-query?tag=a', { authorization: alice }))).toBe('success');
    expect(await tagsOf('alice/del-query')).toEqual(['b']);
  });

  test('DELETE /manifests/:namespace/:image without a tag deletes every tag, so the repository', async () => {
    const repository = await seedRepository('del-all', ['a', 'b', 'c']);
    expect(expectSuccess(await call(server, 'DELETE', '/manifests/alice/del-all', { authorization: alice }))).toBe('success');
    expectLegacyError(await call(server, 'GET', '/tag/list/alice/del-all', { authorization: alice }), 404);
    const { db } = server.database;
    const left = await databaseState(server);
    expect(left.repositories.map((r) => r.id)).not.toContain(repository.id);
    expect(left.tags.filter((t) => t.repositoryId === repository.id)).toEqual([]);
    expect(await db.select().from(manifests)).not.toContainEqual(expect.objectContaining({ repositoryId: repository.id }));
  });

  test('an admin may delete in any namespace', async () => {
    await seedRepository('del-admin', ['a', 'b']);
    expectSuccess(await call(server, 'DELETE', '/manifests/a/alice/del-admin', { authorization: admin }));
    expect(await tagsOf('alice/del-admin')).toEqual(['b']);
  });

  test.each([
    ['application/x-www-form-urlencoded (curl -d)', 'application/x-www-form-urlencoded'],
    ['application/json', 'application/json'],
    ['text/plain (fetch with a string body)', 'text/plain;charset=UTF-8'],
    ['application/octet-stream', 'application/octet-stream'],
  ])('PATCH /:namespace/:image/publicity takes a JSON body sent as %s', async (_label, contentType) => {
    const name = `pub-${contentType.replace(/[^a-z]/g, '').slice(0, 20)}`;
    await seedRepository(name, ['a'], false);
    const path = `/alice/${name}/publicity`;
    const listed = async () => names(expectSuccess(await call(server, 'GET', '/repositories/public')));
    expect(await listed()).not.toContain(`alice/${name}`);

    const made = await call(server, 'PATCH', path, { authorization: alice, contentType, body: '{"Publicity": 1}' });
    expect(made.body).toEqual({ code: 0, data: 'success' });
    expect(await listed()).toContain(`alice/${name}`);
    expect(expectSuccess(await call(server, 'GET', `/tag/list/alice/${name}`))[0].Publicity).toBe(1);

    expectSuccess(await call(server, 'PATCH', path, { authorization: alice, contentType, body: '{"Publicity": 0}' }));
    expect(await listed()).not.toContain(`alice/${name}`);
    expectLegacyError(await call(server, 'GET', `/tag/list/alice/${name}`), 404);
  });

  test('deleting the last two tags at once still removes the repository', async () => {
    await seedRepository('del-race', ['a', 'b']);
    const [a, b] = await Promise.all([
      call(server, 'DELETE', '/manifests/a/alice/del-race', { authorization: alice }),
      call(server, 'DELETE', '/manifests/alice/del-race?tag=b', { authorization: alice }),
    ]);
    expectSuccess(a);
    expectSuccess(b);
    expect(names(expectSuccess(await call(server, 'GET', '/repositories/mine', { authorization: alice })))).not.toContain('alice/del-race');
  });

  test('two deletes of one repository at once both end with the repository gone', async () => {
    const repository = await seedRepository('del-twice', ['a', 'b']);
    const answers = await Promise.all([
      call(server, 'DELETE', '/manifests/alice/del-twice', { authorization: alice }),
      call(server, 'DELETE', '/manifests/alice/del-twice', { authorization: alice }),
    ]);
    // The later one either finds nothing or, having planned before the first finished, agrees it is done.
    expect(answers.map((r) => r.status)).toContain(200);
    for (const answer of answers) expect([200, 404]).toContain(answer.status);
    const left = await databaseState(server);
    expect(left.repositories.map((r) => r.id)).not.toContain(repository.id);
    expect(left.tags.filter((t) => t.repositoryId === repository.id)).toEqual([]);
  });

  test('a publicity change racing a delete of the repository never reports success for a repository that is gone', async () => {
    await seedRepository('del-patch', ['a']);
    const [deleted, patched] = await Promise.all([
      call(server, 'DELETE', '/manifests/alice/del-patch', { authorization: alice }),
      call(server, 'PATCH', '/alice/del-patch/publicity', { authorization: alice, contentType: 'application/json', body: '{"Publicity": 0}' }),
    ]);
    expectSuccess(deleted);
    // Either the change came first, or it found no repository.
    expect([200, 404]).toContain(patched.status);
    expect(names(expectSuccess(await call(server, 'GET', '/repositories/mine', { authorization: alice })))).not.toContain('alice/del-patch');
  });

  test('PATCH publicity to the value it already has succeeds', async () => {
    await seedRepository('pub-same', ['a']);
    expectSuccess(await call(server, 'PATCH', '/alice/pub-same/publicity', { authorization: alice, contentType: 'application/json', body: '{"Publicity": 1}' }));
  });

  describe('errors change nothing', () => {
    let state: Awaited<ReturnType<typeof databaseState>>;
    beforeAll(async () => {
      await seedRepository('stable', ['x', 'y']);
      await seedRepository('stable-private', ['x'], false);
    });
    beforeEach(async () => {
      state = await databaseState(server);
    });
    afterEach(async () => {
      expect(await databaseState(server)).toEqual(state);
    });

    const patch = (body: string, contentType = 'application/json', authorization = alice) =>
      call(server, 'PATCH', '/alice/stable/publicity', { authorization, contentType, body });

    test.each([
      ['malformed JSON', '{"Publicity": '],
      ['Publicity 2', '{"Publicity": 2}'],
      ['Publicity "1"', '{"Publicity": "1"}'],
      ['Publicity true', '{"Publicity": true}'],
      ['Publicity 0.5', '{"Publicity": 0.5}'],
      ['Publicity missing', '{}'],
      ['Publicity null', '{"Publicity": null}'],
      ['an array body', '[{"Publicity": 1}]'],
      ['a bare number', '1'],
      ['an empty body', ''],
    ])('PATCH publicity with %s is 400', async (_label, body) => {
      expectLegacyError(await patch(body), 400);
    });

    test('PATCH publicity with malformed JSON sent as a form is 400', async () => {
      expectLegacyError(await patch('{"Publicity": 1', 'application/x-www-form-urlencoded'), 400);
    });

    test('PATCH publicity without a body is 400', async () => {
      expectLegacyError(await call(server, 'PATCH', '/alice/stable/publicity', { authorization: alice }), 400);
    });

    test('a body over the size limit is 413', async () => {
      const body = JSON.stringify({ Publicity: 0, padding: 'x'.repeat(70 * 1024) });
      expectLegacyError(await patch(body), 413);
    });

    const unknownRepositoryRoutes: [string, string][] = [
      ['GET', '/tag/list/alice/nothing'],
      ['GET', '/tag/list/alice%2Fnothing'],
      ['GET', '/manifests/latest/alice/nothing'],
      ['DELETE', '/manifests/latest/alice/nothing'],
      ['DELETE', '/manifests/alice/nothing?tag=latest'],
      ['DELETE', '/manifests/alice/nothing'],
      ['PATCH', '/alice/nothing/publicity'],
      ['GET', '/tag/list/nowhere/nothing'],
      ['GET', '/tag/list/alice/sta%00ble'],
      ['GET', '/tag/list/alice%2Fsta%00ble'],
      ['GET', '/manifests/x/al%00ice/stable'],
      ['DELETE', '/manifests/x/alice/sta%00ble'],
      ['PATCH', '/alice/sta%00ble/publicity'],
      ['PATCH', '/nowhere/nothing/publicity'],
    ];
    test.each(unknownRepositoryRoutes)('%s %s of an unknown repository is 404', async (method, path) => {
      const body = method === 'PATCH' ? '{"Publicity": 1}' : undefined;
      expectLegacyError(await call(server, method, path, { authorization: alice, body, contentType: body && 'application/json' }), 404);
    });

    test.each([
      ['GET', '/manifests/nope/alice/stable'],
      ['GET', `/manifests/${fakeDigest('nothing')}/alice/stable`],
      ['GET', '/manifests/x%00/alice/stable'],
      ['GET', '/manifests/sha256:%00/alice/stable'],
      ['DELETE', '/manifests/x%00/alice/stable'],
      ['DELETE', '/manifests/nope/alice/stable'],
      ['DELETE', '/manifests/alice/stable?tag=nope'],
    ])('%s %s of an unknown tag or digest is 404', async (method, path) => {
      expectLegacyError(await call(server, method, path, { authorization: alice }), 404);
    });

    test('DELETE with an empty ?tag= is 400, not a delete of every tag', async () => {
      expectLegacyError(await call(server, 'DELETE', '/manifests/alice/stable?tag=', { authorization: alice }), 400);
    });

    test.each([
      ['DELETE', '/manifests/x/alice/stable'],
      ['DELETE', '/manifests/alice/stable?tag=x'],
      ['DELETE', '/manifests/alice/stable'],
      ['PATCH', '/alice/stable/publicity'],
      ['GET', '/repositories/mine'],
    ])('anonymous %s %s is 401 with WWW-Authenticate', async (method, path) => {
      const body = method === 'PATCH' ? '{"Publicity": 0}' : undefined;
      expectLegacyError(await call(server, method, path, { body, contentType: body && 'application/json' }), 401);
    });

    test.each([
      ['GET', '/repositories/mine'],
      ['GET', '/repositories/public'],
      ['GET', '/tag/list/alice/stable'],
      ['DELETE', '/manifests/x/alice/stable'],
      ['PATCH', '/alice/stable/publicity'],
    ])('a wrong password on %s %s is 401', async (method, path) => {
      const body = method === 'PATCH' ? '{"Publicity": 0}' : undefined;
      const authorization = basic('alice', 'not-her-password');
      expectLegacyError(await call(server, method, path, { authorization, body, contentType: body && 'application/json' }), 401);
    });

    test('an unknown account is 401 like a wrong password', async () => {
      const wrong = await call(server, 'GET', '/repositories/mine', { authorization: basic('alice', 'nope') });
      const unknown = await call(server, 'GET', '/repositories/mine', { authorization: basic('mallory', 'nope') });
      expectLegacyError(unknown, 401);
      expect(unknown.text).toBe(wrong.text);
    });

    test.each([
      ['DELETE', '/manifests/x/alice/stable'],
      ['DELETE', '/manifests/alice/stable?tag=x'],
      ['DELETE', '/manifests/alice/stable'],
      ['PATCH', '/alice/stable/publicity'],
    ])('%s %s of a public repository by a user who does not own the namespace is 403', async (method, path) => {
      const body = method === 'PATCH' ? '{"Publicity": 0}' : undefined;
      expectLegacyError(await call(server, method, path, { authorization: bob, body, contentType: body && 'application/json' }), 403);
    });

    test('an unknown route under /registry/v1 is a 404 envelope', async () => {
      expectLegacyError(await call(server, 'GET', '/no/such/route/here'), 404);
      expectLegacyError(await call(server, 'POST', '/repositories/public'), 404);
      expectLegacyError(await call(server, 'GET', '/manifests/alice/stable'), 404);
    });

    test('a malformed Authorization header is 401', async () => {
      expectLegacyError(await call(server, 'GET', '/repositories/public', { authorization: 'Bearer abc' }), 401);
    });
  });

  test('a private repository of another user answers byte for byte as a missing one', async () => {
    await seedRepository('covert', ['x'], false);
    const routes: [string, string, string?][] = [
      ['GET', '/tag/list/alice/covert'],
      ['GET', '/tag/list/alice%2Fcovert'],
      ['GET', '/manifests/x/alice/covert'],
      ['GET', '/manifests/nope/alice/covert'],
      ['DELETE', '/manifests/x/alice/covert'],
      ['DELETE', '/manifests/nope/alice/covert'],
      ['DELETE', '/manifests/alice/covert?tag=x'],
      ['DELETE', '/manifests/alice/covert'],
      ['PATCH', '/alice/covert/publicity', '{"Publicity": 1}'],
      ['PATCH', '/alice/covert/publicity', '{"Publicity": 0}'],
    ];
    const answers = async (authorization?: string) =>
      Promise.all(
        routes.map(async ([method, path, body]) => {
          const r = await call(server, method, path, { authorization, body, contentType: body && 'application/json' });
          return { route: `${method} ${path}`, status: r.status, contentType: r.headers.get('content-type'), text: r.text };
        }),
      );
    const before = await databaseState(server);
    const hidden = await answers(bob);
    const hiddenAnonymous = (await answers()).filter((a) => a.route.startsWith('GET'));
    expect(await databaseState(server)).toEqual(before);
    for (const a of hidden) expect(a.status).toBe(404);

    expectSuccess(await call(server, 'DELETE', '/manifests/alice/covert', { authorization: alice }));
    expect(await answers(bob)).toEqual(hidden);
    expect((await answers()).filter((a) => a.route.startsWith('GET'))).toEqual(hiddenAnonymous);
  });
});

describe('access to private repositories', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeAll(async () => {
    server = await startServer();
    alice = await addUser(server, 'alice');
    bob = await addUser(server, 'bob');
    admin = await addUser(server, 'root', 'admin');
    await insertRepositories(server.database.db, [
      { namespace: 'alice', name: 'open', tags: [{ name: 'v1' }] },
      { namespace: 'alice', name: 'closed', isPublic: false, tags: [{ name: 'v1' }] },
      { namespace: 'bob', name: 'closed', isPublic: false, tags: [{ name: 'v1' }] },
    ]);
  });
  afterAll(() => server.close());

  test('/repositories/public never lists a private repository, whoever asks', async () => {
    for (const authorization of [undefined, alice, bob, admin]) {
      const data = expectSuccess(await call(server, 'GET', '/repositories/public?keywords=closed', { authorization }));
      expect(data).toEqual([]);
    }
  });

  test('/repositories/mine lists only the caller’s own private repositories', async () => {
    expect(names(expectSuccess(await call(server, 'GET', '/repositories/mine', { authorization: alice })))).toEqual(['alice/closed', 'alice/open']);
    expect(names(expectSuccess(await call(server, 'GET', '/repositories/mine', { authorization: bob })))).toEqual(['bob/closed']);
  });

  test.each([['/tag/list/alice/closed'], ['/tag/list/alice%2Fclosed'], ['/manifests/v1/alice/closed']])(
    'GET %s is 404 to anonymous callers and other users, 200 to the owner and admins',
    async (path) => {
      expectLegacyError(await call(server, 'GET', path), 404);
      expectLegacyError(await call(server, 'GET', path, { authorization: bob }), 404);
      expectSuccess(await call(server, 'GET', path, { authorization: alice }));
      expectSuccess(await call(server, 'GET', path, { authorization: admin }));
    },
  );

  test('an admin may change a private repository of any namespace', async () => {
    expectSuccess(await call(server, 'PATCH', '/bob/closed/publicity', { authorization: admin, contentType: 'application/json', body: '{"Publicity": 0}' }));
  });
});

describe('lists longer than a GraphQL page', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    await seed(server.database.db, { repositories: MAX_PAGE_SIZE + 20, tagsPerRepository: 0, prefix: 'many' });
    await insertRepositories(server.database.db, [
      {
        namespace: 'library',
        name: 'tagged',
        pullCount: 3_000_000_000,
        pushCount: 2_500_000_000,
        tags: Array.from({ length: MAX_PAGE_SIZE + 3 }, (_, i) => ({ name: `t${String(i).padStart(4, '0')}`, pullCount: i === 0 ? 4_000_000_000 : 0 })),
      },
    ]);
  });
  afterAll(() => server.close());

  test('/repositories/public answers every repository, unpaged, newest first', async () => {
    const data = expectSuccess(await call(server, 'GET', '/repositories/public'));
    expect(data).toHaveLength(MAX_PAGE_SIZE + 21);
    const times = data.map((r: { CreatedAt: string }) => r.CreatedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(new Set(data.map((r: { ID: number }) => r.ID)).size).toBe(data.length);
  });

  test('/tag/list answers every tag, unpaged', async () => {
    const data = expectSuccess(await call(server, 'GET', '/tag/list/library/tagged'));
    expect(data).toHaveLength(MAX_PAGE_SIZE + 3);
    expect(data[0]).toMatchObject({ Tag: 't0000', PullCount: 4_000_000_000 });
    expect(data[data.length - 1].Tag).toBe(`t${String(MAX_PAGE_SIZE + 2).padStart(4, '0')}`);
  });

  test('counters beyond 32 bits stay exact integers', async () => {
    const data = expectSuccess(await call(server, 'GET', '/repositories/public?keywords=tagged'));
    expect(data).toEqual([expect.objectContaining({ PullCount: 3_000_000_000, PushCount: 2_500_000_000 })]);
  });
});

describe('demo data', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    await loadDemo(server.database.db);
  });
  afterAll(() => server.close());

  test('answers /repositories/public with the document’s example first', async () => {
    const data = expectSuccess(await call(server, 'GET', '/repositories/public'));
    expect(data).toEqual([
      {
        CreatedAt: '2016-08-03T08:55:01Z',
        DeletedAt: null,
        ID: expect.any(Number),
        Image: 'nginx',
        LatestTag: 'latest',
        Namespace: 'admin',
        Publicity: 1,
        PullCount: 1,
        PushCount: 1,
        UpdatedAt: '2016-08-03T08:55:01Z',
      },
      {
        CreatedAt: '2016-08-03T07:58:53Z',
        DeletedAt: null,
        ID: expect.any(Number),
        Image: 'registry',
        LatestTag: 'v3',
        Namespace: 'library',
        Publicity: 1,
        PullCount: 28,
        PushCount: 6,
        UpdatedAt: '2016-08-03T08:23:40Z',
      },
      expect.objectContaining({ Namespace: 'library', Image: 'nginx', LatestTag: 'latest', Publicity: 1 }),
    ]);
  });

  test('answers library/nginx’s tag list as the document’s example', async () => {
    const data = expectSuccess(await call(server, 'GET', '/tag/list/library/nginx'));
    expect(data).toEqual([
      {
        CreatedAt: '2016-08-02T08:51:35Z',
        DeletedAt: null,
        Digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        ID: expect.any(Number),
        Image: 'nginx',
        Namespace: 'library',
        Publicity: 1,
        Size: 55_229_862,
        Tag: 'latest',
        PullCount: 1,
        PushCount: 1,
        UpdatedAt: '2016-08-02T08:59:41Z',
      },
    ]);
  });

  test('answers library/registry:latest with the steps of the document’s manifest', async () => {
    const data = expectSuccess(await call(server, 'GET', '/manifests/latest/library/registry'));
    expect(data).toMatchObject({ name: 'library/registry', tag: 'latest', architecture: 'amd64', schemaVersion: 1 });
    const steps = data.history.map((h: { v1Compatibility: string }) => JSON.parse(h.v1Compatibility).container_config.Cmd[0]);
    expect(steps).toHaveLength(10);
    expect(steps[0]).toBe('/bin/sh -c cp /usr/share/zoneinfo/Asia/Shanghai /etc/localtime');
    expect(steps[9]).toBe('/bin/sh -c #(nop) ADD file:b5391cb13172fb513dbfca0b8471ea02bffa913ffdab94ad864d892d129318c6 in /');
    // Like the document's: a blob per step, the empty tar for each of the five that added no layer.
    expect(data.fsLayers.filter((l: { blobSum: string }) => l.blobSum === EMPTY_LAYER_DIGEST)).toHaveLength(5);
  });

  test('keeps its private repository away from anonymous callers', async () => {
    expectLegacyError(await call(server, 'GET', '/tag/list/admin/secrets'), 404);
  });
});

describe('schema-1 history', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    await insertRepositories(server.database.db, [
      {
        namespace: 'library',
        name: 'steps',
        tags: [
          {
            name: 'latest',
            layers: [100, 200],
            history: [
              { created: '2024-01-01T00:00:00Z', createdBy: '/bin/sh -c #(nop) ADD file:abc in /', emptyLayer: false },
              { created: '2024-01-01T00:00:01Z', createdBy: '/bin/sh -c #(nop) ENV A=b', emptyLayer: true },
              { created: '2024-01-01T00:00:02Z', createdBy: '/bin/sh -c make', emptyLayer: false, comment: 'build' },
            ],
          },
        ],
      },
    ]);
  });
  afterAll(() => server.close());

  test('a step that added no layer is the empty tar, marked throwaway', async () => {
    const data = expectSuccess(await call(server, 'GET', '/manifests/latest/library/steps'));
    expect(data.fsLayers).toEqual([{ blobSum: fakeDigest('library/steps:latest#1') }, { blobSum: EMPTY_LAYER_DIGEST }, { blobSum: fakeDigest('library/steps:latest#0') }]);
    const v1 = data.history.map((h: { v1Compatibility: string }) => JSON.parse(h.v1Compatibility));
    expect(v1.map((e: { container_config: { Cmd: string[] } }) => e.container_config.Cmd[0])).toEqual([
      '/bin/sh -c make',
      '/bin/sh -c #(nop) ENV A=b',
      '/bin/sh -c #(nop) ADD file:abc in /',
    ]);
    expect(v1[1].throwaway).toBe(true);
    expect(v1[0]).toMatchObject({ comment: 'build', created: '2024-01-01T00:00:02Z', architecture: 'amd64', os: 'linux' });
  });
});
