import { asc } from 'drizzle-orm';
import { repositories, tags } from '../../src/db/schema';
import { addUser, basic, graphql, startServer, type TestServer } from '../support/harness';
import { OCI_INDEX, insertRepositories, type RepositorySpec, type SeededRepository } from '../support/seed';

const minute = (n: number) => new Date(Date.parse('2024-03-01T00:00:00Z') + n * 60_000);

/** Runs a query that must succeed and returns its data. */
async function ok<T = any>(server: TestServer, query: string, variables?: Record<string, unknown>, authorization?: string): Promise<T> {
  const { status, body } = await graphql<T>(server, query, variables, authorization);
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  return body.data!;
}

/** Runs a query that must fail with one error of this code; returns the error. */
async function fails(server: TestServer, code: string, query: string, variables?: Record<string, unknown>, authorization?: string) {
  const { body } = await graphql(server, query, variables, authorization);
  expect(body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  expect(body.errors![0].message.length).toBeGreaterThan(0);
  return body;
}

const REPOSITORY_FIELDS = 'id name fullName namespace { name } publicity pullCount pushCount createdAt updatedAt lastPushedAt latestTag { name }';

/*
 * Names, creation times and push times are each in a different order, with
 * ties on every sort key, so a wrong order or a cursor that skips or repeats
 * rows across a tie shows up.
 */
const SPECS: RepositorySpec[] = [
  { namespace: 'library', name: 'echo', createdAt: minute(1), tags: [{ name: 'v1', pushedAt: minute(50) }] },
  { namespace: 'library', name: 'alpha', createdAt: minute(2), tags: [{ name: 'v1', pushedAt: minute(10) }] },
  { namespace: 'alice', name: 'echo', createdAt: minute(2), tags: [{ name: 'v1', pushedAt: minute(30) }] },
  { namespace: 'library', name: 'delta', createdAt: minute(4), tags: [{ name: 'v1', pushedAt: minute(30) }] },
  { namespace: 'alice', name: 'bravo', createdAt: minute(5), tags: [{ name: 'v1', pushedAt: minute(20) }] },
  { namespace: 'library', name: 'charlie', createdAt: minute(6), tags: [{ name: 'v1', pushedAt: minute(40) }] },
  { namespace: 'alice', name: 'hidden', isPublic: false, createdAt: minute(7), tags: [{ name: 'v1', pushedAt: minute(60) }] },
  { namespace: 'bob', name: 'hidden', isPublic: false, createdAt: minute(8), tags: [{ name: 'v1', pushedAt: minute(70) }] },
  {
    namespace: 'library',
    name: 'multi',
    createdAt: minute(0),
    pullCount: 12,
    pushCount: 5,
    tags: [
      { name: 'alpha', pushedAt: minute(1), layers: [300, 20], configSize: 7, pullCount: 4, pushCount: 2 },
      { name: 'beta', pushedAt: minute(5), platforms: [{ architecture: 'amd64', os: 'linux' }, { architecture: 'arm64', os: 'linux', variant: 'v8' }] },
      { name: 'gamma', pushedAt: minute(3) },
      { name: 'delta', pushedAt: minute(2) },
      { name: 'epsilon', pushedAt: minute(4) },
    ],
  },
];

type Order = { field: 'NAME' | 'CREATED_AT' | 'LAST_PUSHED_AT'; direction: 'ASC' | 'DESC' };

function expectedOrder(seeded: SeededRepository[], { field, direction }: Order): string[] {
  const key = (r: SeededRepository) => (field === 'NAME' ? r.name : field === 'CREATED_AT' ? r.createdAt.getTime() : r.lastPushedAt.getTime());
  const sign = direction === 'ASC' ? 1 : -1;
  return [...seeded]
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return (a.id - b.id) * sign;
    })
    .map((r) => r.fullName);
}

describe('reading', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  let admin: string;
  let seeded: SeededRepository[];
  const publicOnes = () => seeded.filter((r) => r.isPublic);

  beforeAll(async () => {
    server = await startServer();
    alice = await addUser(server, 'alice');
    bob = await addUser(server, 'bob');
    admin = await addUser(server, 'root', 'admin');
    seeded = await insertRepositories(server.database.db, SPECS);
  });
  afterAll(() => server.close());

  test('repository() answers one repository with every field', async () => {
    const multi = seeded.find((r) => r.fullName === 'library/multi')!;
    const data = await ok(server, `{ repository(namespace: "library", name: "multi") { ${REPOSITORY_FIELDS} } }`);
    expect(data.repository).toEqual({
      id: multi.id,
      name: 'multi',
      fullName: 'library/multi',
      namespace: { name: 'library' },
      publicity: 'PUBLIC',
      pullCount: 12,
      pushCount: 5,
      createdAt: minute(0).toISOString(),
      updatedAt: minute(5).toISOString(),
      lastPushedAt: minute(5).toISOString(),
      latestTag: { name: 'beta' },
    });
  });

  test('latestTag is the most recently pushed tag, not the first by name', async () => {
    const data = await ok(server, '{ repository(namespace: "library", name: "multi") { latestTag { name pushedAt } tags(first: 1) { nodes { name } } } }');
    expect(data.repository.latestTag).toEqual({ name: 'beta', pushedAt: minute(5).toISOString() });
    expect(data.repository.tags.nodes).toEqual([{ name: 'alpha' }]);
  });

  const ORDERS: Order[] = (['NAME', 'CREATED_AT', 'LAST_PUSHED_AT'] as const).flatMap((field) =>
    (['ASC', 'DESC'] as const).map((direction) => ({ field, direction })),
  );

  test.each(ORDERS)('repositories ordered by $field $direction page through every row once, in order', async (orderBy) => {
    const query = `query ($orderBy: RepositoryOrder!, $after: String) {
      repositories(scope: PUBLIC, orderBy: $orderBy, first: 2, after: $after) {
        totalCount edges { cursor node { fullName } } pageInfo { hasNextPage endCursor }
      }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const { repositories }: any = await ok(server, query, { orderBy, after });
      expect(repositories.totalCount).toBe(publicOnes().length);
      const names = repositories.edges.map((e: any) => e.node.fullName);
      seen.push(...names);
      const last = repositories.edges[repositories.edges.length - 1];
      expect(repositories.pageInfo.endCursor).toBe(last?.cursor ?? null);
      expect(repositories.pageInfo.hasNextPage).toBe(seen.length < publicOnes().length);
      if (!repositories.pageInfo.hasNextPage) break;
      after = repositories.pageInfo.endCursor;
    }
    expect(seen).toEqual(expectedOrder(publicOnes(), orderBy));
  });

  test('repositories default to newest first', async () => {
    const data = await ok(server, '{ repositories(scope: PUBLIC, first: 100) { nodes { fullName } } }');
    expect(data.repositories.nodes.map((n: any) => n.fullName)).toEqual(expectedOrder(publicOnes(), { field: 'CREATED_AT', direction: 'DESC' }));
  });

  test('an empty last page has no endCursor and no next page', async () => {
    const first = await ok(server, '{ repositories(scope: PUBLIC, first: 100) { pageInfo { endCursor } } }');
    const data = await ok(server, 'query ($after: String) { repositories(scope: PUBLIC, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }', {
      after: first.repositories.pageInfo.endCursor,
    });
    expect(data.repositories).toEqual({ totalCount: publicOnes().length, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  test('pageInfo starts at the first row and has a previous page only after a cursor', async () => {
    const query = `query ($first: Int, $after: String) {
      repositories(scope: PUBLIC, first: $first, after: $after) { edges { cursor } pageInfo { hasPreviousPage startCursor endCursor } }
    }`;
    const first = (await ok(server, query, { first: 2, after: null })).repositories;
    expect(first.pageInfo).toEqual({ hasPreviousPage: false, startCursor: first.edges[0].cursor, endCursor: first.edges[1].cursor });
    const second = (await ok(server, query, { first: 2, after: first.pageInfo.endCursor })).repositories;
    expect(second.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: second.edges[0].cursor });
    const all = (await ok(server, query, { first: 100, after: null })).repositories;
    const beyond = (await ok(server, query, { first: 2, after: all.pageInfo.endCursor })).repositories;
    expect(beyond).toEqual({ edges: [], pageInfo: { hasPreviousPage: true, startCursor: null, endCursor: null } });
  });

  test('first: 0 answers only the count', async () => {
    const data = await ok(server, '{ repositories(first: 0) { totalCount nodes { id } pageInfo { hasNextPage } } }');
    expect(data.repositories).toEqual({ totalCount: publicOnes().length, nodes: [], pageInfo: { hasNextPage: true } });
  });

  test('keywords filter the list and its totalCount, literally', async () => {
    const query = 'query ($k: String) { repositories(keywords: $k, orderBy: { field: NAME, direction: ASC }) { totalCount nodes { fullName } } }';
    // Equal names are ordered by id: library/echo was created first.
    expect((await ok(server, query, { k: 'ECHO' })).repositories).toEqual({ totalCount: 2, nodes: [{ fullName: 'library/echo' }, { fullName: 'alice/echo' }] });
    expect((await ok(server, query, { k: 'alice' })).repositories.totalCount).toBe(2);
    expect((await ok(server, query, { k: '%' })).repositories).toEqual({ totalCount: 0, nodes: [] });
    expect((await ok(server, query, { k: 'a_pha' })).repositories).toEqual({ totalCount: 0, nodes: [] });
    expect((await ok(server, query, { k: 'alpha\u0000' })).repositories).toEqual({ totalCount: 0, nodes: [] });
  });

  test('scope MINE lists the namespaces the caller manages', async () => {
    const query = '{ repositories(scope: MINE, orderBy: { field: NAME, direction: ASC }, first: 100) { totalCount nodes { fullName publicity } } }';
    expect((await ok(server, query, undefined, alice)).repositories).toEqual({
      totalCount: 3,
      nodes: [
        { fullName: 'alice/bravo', publicity: 'PUBLIC' },
        { fullName: 'alice/echo', publicity: 'PUBLIC' },
        { fullName: 'alice/hidden', publicity: 'PRIVATE' },
      ],
    });
    const mineOfAdmin = await ok(server, query, undefined, admin);
    expect(mineOfAdmin.repositories.nodes.map((n: any) => n.fullName)).toEqual(['library/alpha', 'library/charlie', 'library/delta', 'library/echo', 'library/multi']);
  });

  describe('private repositories', () => {
    const listQuery = 'query ($scope: RepositoryScope!, $k: String) { repositories(scope: $scope, keywords: $k, first: 100) { totalCount nodes { fullName } } }';

    test.each([
      ['an anonymous caller', undefined],
      ['another user', 'bob'],
    ])('are invisible to %s in every scope, with keywords, and in totalCount', async (_label, who) => {
      const authorization = who ? bob : undefined;
      const scopes = who ? ['PUBLIC', 'VISIBLE', 'MINE'] : ['PUBLIC', 'VISIBLE'];
      for (const scope of scopes) {
        for (const k of [null, 'alice', 'hidden']) {
          const { repositories } = await ok(server, listQuery, { scope, k }, authorization);
          const names: string[] = repositories.nodes.map((n: any) => n.fullName);
          expect(names).not.toContain('alice/hidden');
          expect(repositories.totalCount).toBe(names.length);
        }
      }
      const visible = await ok(server, listQuery, { scope: 'VISIBLE', k: null }, authorization);
      expect(visible.repositories.totalCount).toBe(publicOnes().length + (who ? 1 : 0));
      await fails(server, 'NOT_FOUND', '{ repository(namespace: "alice", name: "hidden") { id } }', undefined, authorization);
    });

    test('answer another user exactly as a missing repository does', async () => {
      const hidden = await graphql(server, '{ repository(namespace: "alice", name: "hidden") { id } }', undefined, bob);
      const missing = await graphql(server, '{ repository(namespace: "alice", name: "nothing") { id } }', undefined, bob);
      expect(hidden.body.errors![0].extensions).toEqual(missing.body.errors![0].extensions);
      expect(hidden.body.errors![0].message).toBe(missing.body.errors![0].message.replace('nothing', 'hidden'));
      expect(hidden.status).toBe(missing.status);
    });

    test('are visible to their owner and to admins', async () => {
      for (const authorization of [alice, admin]) {
        const data = await ok(server, '{ repository(namespace: "alice", name: "hidden") { publicity tags { totalCount nodes { name manifest { digest } } } } }', undefined, authorization);
        expect(data.repository).toMatchObject({ publicity: 'PRIVATE', tags: { totalCount: 1, nodes: [{ name: 'v1' }] } });
        const visible = await ok(server, listQuery, { scope: 'VISIBLE', k: 'hidden' }, authorization);
        expect(visible.repositories.nodes.map((n: any) => n.fullName)).toContain('alice/hidden');
      }
      const all = await ok(server, listQuery, { scope: 'VISIBLE', k: null }, admin);
      expect(all.repositories.totalCount).toBe(seeded.length);
    });

    test('never leak through a tag’s repository', async () => {
      const data = await ok(server, '{ repositories(first: 100) { nodes { tags { nodes { repository { fullName publicity } } } } } }', undefined, bob);
      const publicities = data.repositories.nodes.flatMap((r: any) => r.tags.nodes.map((t: any) => t.repository));
      expect(publicities.filter((r: any) => r.fullName === 'alice/hidden')).toEqual([]);
    });
  });

  test('tags page through with a stable totalCount, by name or by push time', async () => {
    const query = `query ($after: String, $orderBy: TagOrder!) {
      repository(namespace: "library", name: "multi") {
        tags(first: 2, after: $after, orderBy: $orderBy) { totalCount nodes { name } pageInfo { hasNextPage endCursor } }
      }
    }`;
    const walk = async (orderBy: object) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const { repository }: any = await ok(server, query, { after, orderBy });
        expect(repository.tags.totalCount).toBe(5);
        seen.push(...repository.tags.nodes.map((n: any) => n.name));
        expect(repository.tags.pageInfo.hasNextPage).toBe(seen.length < 5);
        if (!repository.tags.pageInfo.hasNextPage) return seen;
        after = repository.tags.pageInfo.endCursor;
      }
      throw new Error('the tag pages did not end');
    };
    expect(await walk({ field: 'NAME', direction: 'ASC' })).toEqual(['alpha', 'beta', 'delta', 'epsilon', 'gamma']);
    expect(await walk({ field: 'NAME', direction: 'DESC' })).toEqual(['gamma', 'epsilon', 'delta', 'beta', 'alpha']);
    expect(await walk({ field: 'PUSHED_AT', direction: 'DESC' })).toEqual(['beta', 'epsilon', 'gamma', 'delta', 'alpha']);
    expect(await walk({ field: 'PUSHED_AT', direction: 'ASC' })).toEqual(['alpha', 'delta', 'gamma', 'epsilon', 'beta']);
  });

  test('a tag answers its image manifest: digest, media type, schema version, size, config and layers', async () => {
    const alpha = seeded.find((r) => r.fullName === 'library/multi')!.tags.find((t) => t.name === 'alpha')!;
    const data = await ok(
      server,
      `{ repository(namespace: "library", name: "multi") { tag(name: "alpha") {
          name digest mediaType size pullCount pushCount pushedAt
          manifest { digest mediaType schemaVersion size config { mediaType digest size } layers { mediaType digest size platform { os } } children { digest } architecture os }
      } } }`,
    );
    expect(data.repository.tag).toEqual({
      name: 'alpha',
      digest: alpha.digest,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      size: 327,
      pullCount: 4,
      pushCount: 2,
      pushedAt: minute(1).toISOString(),
      manifest: {
        digest: alpha.digest,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        schemaVersion: 2,
        size: 327,
        config: alpha.config,
        layers: alpha.layers.map((l) => ({ ...l, platform: null })),
        children: [],
        architecture: 'amd64',
        os: 'linux',
      },
    });
  });

  test('a multi-arch index answers its children with their platforms and no config', async () => {
    const beta = seeded.find((r) => r.fullName === 'library/multi')!.tags.find((t) => t.name === 'beta')!;
    const data = await ok(
      server,
      `{ repository(namespace: "library", name: "multi") {
          tag(name: "beta") { manifest { mediaType size config { digest } layers { digest } children { mediaType digest size platform { architecture os variant } } } }
          byDigest: manifest(reference: "${beta.digest}") { digest mediaType }
      } }`,
    );
    expect(data.repository.tag.manifest).toEqual({
      mediaType: OCI_INDEX,
      size: 2_000,
      config: null,
      layers: [],
      children: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: beta.children[0].digest, size: 1_000, platform: { architecture: 'amd64', os: 'linux', variant: null } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: beta.children[1].digest, size: 1_000, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
      ],
    });
    expect(data.repository.byDigest).toEqual({ digest: beta.digest, mediaType: OCI_INDEX });
  });

  test.each([
    ['an unknown repository', '{ repository(namespace: "library", name: "nothing") { id } }'],
    ['an unknown namespace', '{ repository(namespace: "nowhere", name: "multi") { id } }'],
    ['an unknown tag', '{ repository(namespace: "library", name: "multi") { tag(name: "nope") { name } } }'],
    ['an unknown tag reference', '{ repository(namespace: "library", name: "multi") { manifest(reference: "nope") { digest } } }'],
    ['an unknown digest', `{ repository(namespace: "library", name: "multi") { manifest(reference: "sha256:${'0'.repeat(64)}") { digest } } }`],
    ['a name with a NUL character', '{ repository(namespace: "library", name: "mul\\u0000ti") { id } }'],
    ['a tag with a NUL character', '{ repository(namespace: "library", name: "multi") { tag(name: "alpha\\u0000") { name } } }'],
    ['a reference with a NUL character', '{ repository(namespace: "library", name: "multi") { manifest(reference: "sha256:\\u0000") { digest } } }'],
  ])('%s is NOT_FOUND', async (_label, query) => {
    await fails(server, 'NOT_FOUND', query);
  });

  test.each([
    ['first: 100000', '{ repositories(first: 100000) { totalCount } }'],
    ['first: -1', '{ repositories(first: -1) { totalCount } }'],
    ['a garbage cursor', '{ repositories(after: "garbage!") { totalCount } }'],
    ['tags(first: 100000)', '{ repository(namespace: "library", name: "multi") { tags(first: 100000) { totalCount } } }'],
    ['a garbage tag cursor', '{ repository(namespace: "library", name: "multi") { tags(after: "Zm9v") { totalCount } } }'],
  ])('%s is BAD_USER_INPUT', async (_label, query) => {
    await fails(server, 'BAD_USER_INPUT', query);
  });

  test('a name cursor given to a list ordered by time is BAD_USER_INPUT', async () => {
    const byName = await ok(server, '{ repositories(first: 1, orderBy: { field: NAME, direction: ASC }) { pageInfo { endCursor } } }');
    await fails(server, 'BAD_USER_INPUT', 'query ($after: String) { repositories(after: $after) { totalCount } }', { after: byName.repositories.pageInfo.endCursor });
  });

  test('scope MINE without signing in is UNAUTHENTICATED', async () => {
    await fails(server, 'UNAUTHENTICATED', '{ repositories(scope: MINE) { totalCount } }');
  });

  test('a wrong password is an HTTP 401 with UNAUTHENTICATED', async () => {
    const { status, body } = await graphql(server, '{ repositories { totalCount } }', undefined, basic('alice', 'wrong'));
    expect(status).toBe(401);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(body.data).toBeUndefined();
  });
});

describe('changing', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    server = await startServer();
    alice = await addUser(server, 'alice');
    bob = await addUser(server, 'bob');
  });
  afterAll(() => server.close());

  const seedRepository = (name: string, tagNames: string[], isPublic = true) =>
    insertRepositories(server.database.db, [{ namespace: 'alice', name, isPublic, tags: tagNames.map((t) => ({ name: t })) }]).then(([r]) => r);
  const state = async () => ({
    repositories: await server.database.db.select().from(repositories).orderBy(asc(repositories.id)),
    tags: await server.database.db.select().from(tags).orderBy(asc(tags.id)),
  });

  const DELETE_TAG = `mutation ($namespace: String!, $repository: String!, $tag: String!) {
    deleteTag(input: { namespace: $namespace, repository: $repository, tag: $tag }) { namespace repository tags { name digest } repositoryRemoved }
  }`;
  const DELETE_REPOSITORY = `mutation ($namespace: String!, $repository: String!) {
    deleteRepository(input: { namespace: $namespace, repository: $repository }) { namespace repository tags { name digest } repositoryRemoved }
  }`;
  const SET_PUBLICITY = `mutation ($namespace: String!, $repository: String!, $publicity: Publicity!) {
    setPublicity(input: { namespace: $namespace, repository: $repository, publicity: $publicity }) { repository { fullName publicity updatedAt } }
  }`;

  test('deleteTag answers what it removed and keeps the other tags', async () => {
    const repository = await seedRepository('two', ['a', 'b']);
    const data = await ok(server, DELETE_TAG, { namespace: 'alice', repository: 'two', tag: 'a' }, alice);
    expect(data.deleteTag).toEqual({ namespace: 'alice', repository: 'two', tags: [{ name: 'a', digest: repository.tags[0].digest }], repositoryRemoved: false });
    const left = await ok(server, '{ repository(namespace: "alice", name: "two") { tags { totalCount nodes { name } } latestTag { name } } }');
    expect(left.repository).toEqual({ tags: { totalCount: 1, nodes: [{ name: 'b' }] }, latestTag: { name: 'b' } });
  });

  test('deleteTag of the last tag removes the repository', async () => {
    const repository = await seedRepository('one', ['only']);
    const data = await ok(server, DELETE_TAG, { namespace: 'alice', repository: 'one', tag: 'only' }, alice);
    expect(data.deleteTag).toEqual({ namespace: 'alice', repository: 'one', tags: [{ name: 'only', digest: repository.tags[0].digest }], repositoryRemoved: true });
    await fails(server, 'NOT_FOUND', '{ repository(namespace: "alice", name: "one") { id } }', undefined, alice);
  });

  test('deleteRepository removes every tag and the repository', async () => {
    const repository = await seedRepository('three', ['a', 'b', 'c']);
    const data = await ok(server, DELETE_REPOSITORY, { namespace: 'alice', repository: 'three' }, alice);
    expect(data.deleteRepository.repositoryRemoved).toBe(true);
    expect(data.deleteRepository.tags).toEqual(expect.arrayContaining(repository.tags.map((t) => ({ name: t.name, digest: t.digest }))));
    expect(data.deleteRepository.tags).toHaveLength(3);
    expect((await state()).repositories.map((r) => r.id)).not.toContain(repository.id);
  });

  test('setPublicity makes a repository public and private again', async () => {
    await seedRepository('flip', ['a'], false);
    const made = await ok(server, SET_PUBLICITY, { namespace: 'alice', repository: 'flip', publicity: 'PUBLIC' }, alice);
    expect(made.setPublicity.repository).toMatchObject({ fullName: 'alice/flip', publicity: 'PUBLIC' });
    expect((await ok(server, '{ repository(namespace: "alice", name: "flip") { publicity } }')).repository.publicity).toBe('PUBLIC');
    await ok(server, SET_PUBLICITY, { namespace: 'alice', repository: 'flip', publicity: 'PRIVATE' }, alice);
    await fails(server, 'NOT_FOUND', '{ repository(namespace: "alice", name: "flip") { id } }');
  });

  test('a mutation answers the clientMutationId its input carried, and null without one', async () => {
    await seedRepository('echoed', ['a']);
    const mutation = `mutation ($input: SetPublicityInput!) { setPublicity(input: $input) { clientMutationId repository { publicity } } }`;
    const tagged = await ok(server, mutation, { input: { namespace: 'alice', repository: 'echoed', publicity: 'PUBLIC', clientMutationId: 'flip-1' } }, alice);
    expect(tagged.setPublicity).toEqual({ clientMutationId: 'flip-1', repository: { publicity: 'PUBLIC' } });
    const untagged = await ok(server, mutation, { input: { namespace: 'alice', repository: 'echoed', publicity: 'PRIVATE' } }, alice);
    expect(untagged.setPublicity).toEqual({ clientMutationId: null, repository: { publicity: 'PRIVATE' } });
  });

  describe('refused changes change nothing', () => {
    let before: Awaited<ReturnType<typeof state>>;
    beforeAll(async () => {
      await seedRepository('kept', ['a', 'b']);
      await seedRepository('kept-private', ['a'], false);
    });
    beforeEach(async () => {
      before = await state();
    });
    afterEach(async () => {
      expect(await state()).toEqual(before);
    });

    test.each([
      ['deleteTag', DELETE_TAG, { namespace: 'alice', repository: 'kept', tag: 'a' }],
      ['deleteRepository', DELETE_REPOSITORY, { namespace: 'alice', repository: 'kept' }],
      ['setPublicity', SET_PUBLICITY, { namespace: 'alice', repository: 'kept', publicity: 'PRIVATE' }],
    ])('%s without signing in is UNAUTHENTICATED', async (_label, mutation, variables) => {
      await fails(server, 'UNAUTHENTICATED', mutation, variables);
    });

    test.each([
      ['deleteTag', DELETE_TAG, { namespace: 'alice', repository: 'kept', tag: 'a' }],
      ['deleteRepository', DELETE_REPOSITORY, { namespace: 'alice', repository: 'kept' }],
      ['setPublicity', SET_PUBLICITY, { namespace: 'alice', repository: 'kept', publicity: 'PRIVATE' }],
    ])('%s of a public repository by a user who does not own it is FORBIDDEN', async (_label, mutation, variables) => {
      await fails(server, 'FORBIDDEN', mutation, variables, bob);
    });

    test.each([
      ['deleteTag', DELETE_TAG, { namespace: 'alice', repository: 'kept-private', tag: 'a' }],
      ['deleteRepository', DELETE_REPOSITORY, { namespace: 'alice', repository: 'kept-private' }],
      ['setPublicity', SET_PUBLICITY, { namespace: 'alice', repository: 'kept-private', publicity: 'PUBLIC' }],
    ])('%s of a private repository by a user who does not own it is NOT_FOUND', async (_label, mutation, variables) => {
      await fails(server, 'NOT_FOUND', mutation, variables, bob);
    });

    test('deleteTag of an unknown tag is NOT_FOUND', async () => {
      await fails(server, 'NOT_FOUND', DELETE_TAG, { namespace: 'alice', repository: 'kept', tag: 'nope' }, alice);
    });

    test('setPublicity with a value outside the enum is refused', async () => {
      const { body } = await graphql(server, SET_PUBLICITY, { namespace: 'alice', repository: 'kept', publicity: 'SECRET' }, alice);
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });
});

describe('requests that cannot run', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const post = async (body: unknown) => {
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] } };
  };

  test.each([
    ['an operationName the document does not have', { query: 'query A { viewer { account { name } } }', operationName: 'B' }, /no operation named "B"/],
    ['several operations and no operationName', { query: 'query A { viewer { account { name } } } query B { viewer { account { name } } }' }, /name the one to run/],
  ])('%s is the caller’s mistake: 400', async (_what, body, message) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }]);
  });

  test('the named operation of several runs', async () => {
    const answer = await post({ query: 'query A { viewer { account { name } } } query B { repositories { totalCount } }', operationName: 'B' });
    expect(answer).toEqual({ status: 200, body: { data: { repositories: { totalCount: 0 } } } });
  });

  test('no error carries a stack trace', async () => {
    const answers = await Promise.all([post({ query: '{ nope }' }), post({ query: '{' }), post({ query: 'query A { viewer { account { name } } }', operationName: 'B' })]);
    for (const answer of answers) {
      expect(answer.body.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer.body)).not.toMatch(/stacktrace|node_modules|\/work\//);
    }
  });
});
