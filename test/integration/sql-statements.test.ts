import { addBasicUser, graphql, startServer, type TestServer } from '../support/harness';
import { seed } from '../support/seed';

/*
 * Every list or parent field resolves through a per-request DataLoader, so the
 * number of SQL statements a request runs depends on the shape of the query,
 * never on how many rows it returns. These tests count them.
 */

const nestedQuery = (latestTagFields: string) => `query ($keywords: String, $first: Int!) {
  repositories(keywords: $keywords, first: $first, orderBy: { field: NAME, direction: ASC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id fullName namespace { id name } publicity pullCount pushCount createdAt lastPushedAt
      latestTag { ${latestTagFields} }
      tags(first: 20) {
        totalCount
        pageInfo { hasNextPage }
        nodes {
          name digest size pullCount pushCount
          repository { fullName }
          manifest { digest mediaType schemaVersion size config { digest size } layers { digest size } children { digest platform { os architecture } } }
        }
      }
    }
  }
}`;
const NESTED = nestedQuery('name pushedAt digest');
/*
 * Here manifests are reached by two paths that resolve at different times
 * (after the latest tags, after the tag pages). On a server with a connection
 * pool the two may land in one batch or in two, so this query costs the same
 * statements as NESTED, or one more: never more, whatever the number of rows.
 */
const NESTED_TWO_PATHS = nestedQuery('name pushedAt digest manifest { digest size }');

let server: TestServer;
let admin: string;

beforeAll(async () => {
  server = await startServer();
  admin = await addBasicUser(server, 'root', 'admin');
  const { db } = server.database;
  await seed(db, { repositories: 50, tagsPerRepository: 20, prefix: 'wide', namespaces: ['library', 'team'] });
  await seed(db, { repositories: 5, tagsPerRepository: 20, prefix: 'few' });
  await seed(db, { repositories: 50, tagsPerRepository: 1, prefix: 'thin', publicShare: 0.5 });
  await seed(db, { repositories: 1, tagsPerRepository: 1, prefix: 'solo' });
});
afterAll(() => server.close());

/** The statements one request runs, with the data it answered. */
async function measure<T>(request: () => Promise<T>): Promise<{ statements: number; result: T }> {
  server.statements.length = 0;
  const result = await request();
  return { statements: server.statements.length, result };
}

async function nested(keywords: string, first: number, authorization?: string, query = NESTED) {
  return measure(async () => {
    const { body } = await graphql(server, query, { keywords, first }, authorization);
    expect(body.errors).toBeUndefined();
    return body.data.repositories;
  });
}

describe('a nested GraphQL query of repositories, their tags and manifests, with counts', () => {
  test('runs the same small number of statements for 5 or 50 repositories of 20 tags', async () => {
    const few = await nested('few', 50);
    const wide = await nested('wide', 50);
    expect(few.result.nodes).toHaveLength(5);
    expect(wide.result.nodes).toHaveLength(50);
    expect(wide.result.totalCount).toBe(50);
    for (const repository of wide.result.nodes) {
      expect(repository.tags.nodes).toHaveLength(20);
      expect(repository.tags.totalCount).toBe(20);
      for (const tag of repository.tags.nodes) expect(tag.manifest.digest).toBe(tag.digest);
    }
    // The list, totalCount, latest tags, tag pages, tag counts and manifests; each tag's
    // repository is its parent, already read.
    expect(wide.statements).toBe(6);
    expect(few.statements).toBe(wide.statements);
  });

  test('runs the same number of statements for 1 or 20 tags per repository', async () => {
    const thin = await nested('thin', 50);
    const wide = await nested('wide', 50);
    expect(thin.result.nodes).toHaveLength(25);
    for (const repository of thin.result.nodes) expect(repository.tags.nodes).toHaveLength(1);
    expect(thin.statements).toBe(wide.statements);
  });

  test('runs the same number for one repository of one tag', async () => {
    const solo = await nested('solo', 50);
    expect(solo.result.nodes).toHaveLength(1);
    expect(solo.statements).toBe((await nested('wide', 50)).statements);
  });

  test('signed in, adds only the sign-in and stays independent of the page size', async () => {
    const anonymous = await nested('wide', 50);
    // The first sign-in reserves and runs a password check; later ones find the password remembered and only read the limits.
    await nested('few', 50, admin);
    const few = await nested('few', 50, admin);
    const wide = await nested('wide', 50, admin);
    const thin = await nested('thin', 50, admin);
    expect(thin.result.nodes).toHaveLength(50);
    expect(wide.statements).toBe(few.statements);
    expect(thin.statements).toBe(wide.statements);
    expect(wide.statements - anonymous.statements).toBeGreaterThan(0);
    expect(wide.statements - anonymous.statements).toBeLessThanOrEqual(2);
  });
  test('reaching manifests by two paths adds at most one statement, for 5 or 50 repositories', async () => {
    const base = (await nested('wide', 50)).statements;
    for (const keywords of ['few', 'wide', 'thin']) {
      const { statements, result } = await nested(keywords, 50, undefined, NESTED_TWO_PATHS);
      for (const repository of result.nodes) expect(repository.latestTag.manifest.digest).toBe(repository.latestTag.digest);
      expect(statements).toBeGreaterThanOrEqual(base);
      expect(statements).toBeLessThanOrEqual(base + 1);
    }
  });
  test('a tag or manifest looked up by name on every repository of a page costs one statement each', async () => {
    const query = `query ($keywords: String) {
      repositories(keywords: $keywords, first: 50) {
        nodes { tag(name: "v0") { name manifest { digest } } manifest(reference: "v0") { digest } }
      }
    }`;
    const run = (keywords: string) =>
      measure(async () => {
        const { body } = await graphql(server, query, { keywords });
        expect(body.errors).toBeUndefined();
        return body.data.repositories.nodes;
      });
    const few = await run('few');
    const wide = await run('wide');
    expect(few.result).toHaveLength(5);
    expect(wide.result).toHaveLength(50);
    for (const node of wide.result) expect(node.manifest.digest).toBe(node.tag.manifest.digest);
    // The list, the tags by name, the manifests by reference, the tags' manifests.
    expect(wide.statements).toBe(4);
    expect(few.statements).toBe(wide.statements);
  });
});

describe('legacy routes', () => {
  const get = (path: string) =>
    measure(async () => {
      const response = await fetch(`${server.url}/registry/v1${path}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { data: unknown[] }).data;
    });

  test('GET /repositories/public runs the same statements for 5 or 50 repositories', async () => {
    const few = await get('/repositories/public?keywords=few');
    const wide = await get('/repositories/public?keywords=wide');
    expect(few.result).toHaveLength(5);
    expect(wide.result).toHaveLength(50);
    // the list and the latest tags.
    expect(wide.statements).toBe(2);
    expect(few.statements).toBe(wide.statements);
  });

  test('GET /tag/list runs the same statements for 1 or 20 tags', async () => {
    const one = await get('/tag/list/library/thin-001');
    const twenty = await get('/tag/list/library/wide-000');
    expect(one.result).toHaveLength(1);
    expect(twenty.result).toHaveLength(20);
    // the repository and its tags.
    expect(twenty.statements).toBe(2);
    expect(one.statements).toBe(twenty.statements);
  });

  test('GET /manifests runs a fixed, small number of statements', async () => {
    const manifest = await get('/manifests/v19/library/wide-000');
    expect(manifest.statements).toBe(2);
  });
});

describe('the registry token service', () => {
  const tokenFor = (scopes: string[], authorization?: string) =>
    measure(async () => {
      const query = new URLSearchParams([['service', 'berth-registry'], ...scopes.map((scope): [string, string] => ['scope', scope])]);
      const response = await fetch(`${server.url}/registry/v1/token?${query}`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(200);
      return JSON.parse(Buffer.from(((await response.json()) as { token: string }).token.split('.')[1], 'base64url').toString()).access as { actions: string[] }[];
    });

  test('decides on every scope of a request in one statement, plus the sign-in', async () => {
    await tokenFor([]); // the signing key is read once, then kept
    const one = await tokenFor(['repository:library/wide-000:pull']);
    // The even ones of the wide set are in library (public), the odd ones in team.
    const ten = await tokenFor(Array.from({ length: 10 }, (_, i) => `repository:library/wide-${String(2 * i).padStart(3, '0')}:pull,push`));
    expect(one.result[0].actions).toEqual(['pull']);
    expect(ten.result.map((a) => a.actions)).toEqual(Array(10).fill(['pull']));
    expect(one.statements).toBe(1);
    expect(ten.statements).toBe(one.statements);
    // A password sign-in: the sign-in limit's check and the account.
    const signedIn = await tokenFor(['repository:library/wide-000:pull'], admin);
    expect(signedIn.result[0].actions).toEqual(['pull']);
    expect(signedIn.statements).toBe(one.statements + 2);
  });
});
