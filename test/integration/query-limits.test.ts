import { getIntrospectionQuery } from 'graphql';
import { DEFAULT_QUERY_LIMITS } from '../../src/config';
import { graphql, startServer, type TestServer } from '../support/harness';
import { seed } from '../support/seed';

/**
 * Every operation is measured before it runs: an operation over a limit is
 * refused with QUERY_TOO_COMPLEX, naming what was measured and the limit,
 * and nothing of it executes. These are the attacks that once stalled Berth.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await seed(server.database.db, { repositories: 3, tagsPerRepository: 100, prefix: 'wide' });
});
afterAll(() => server.close());

interface Refusal {
  status: number;
  code?: string;
  measure?: string;
  measured?: number;
  limit?: number;
}

async function refusal(query: string, variables?: Record<string, unknown>): Promise<Refusal> {
  server.statements.length = 0;
  const { status, body } = await graphql(server, query, variables);
  // Refused before it ran: not one SQL statement.
  expect(server.statements).toEqual([]);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  const { code, measure, measured, limit } = (body.errors![0].extensions ?? {}) as Omit<Refusal, 'status'>;
  return { status, code, measure, measured, limit };
}

const aliases = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
/** Tags of the repository of a tag, `levels` times over, one row each: deep, but cheap. */
const nested = (levels: number) => `{ repositories(first: 1) { nodes { ${'tags(first: 1) { nodes { repository { '.repeat(levels)}name${' } } }'.repeat(levels)} } } }`;
const nestedFields = (depth: number) => `{ ${'a { '.repeat(depth)}b${' }'.repeat(depth)} }`;

test.each([
  { name: '1,000 aliases of a 500-repository page (45 KB)', query: aliases(1000, 'repositories(first: 500) { nodes { name } }'), measure: 'tokens' },
  { name: '400 aliases of a 500-tag page', query: aliases(400, 'repository(namespace: "library", name: "wide-000") { tags(first: 500) { nodes { name digest } } }'), measure: 'tokens' },
  { name: '31 aliases of a repository page', query: aliases(31, 'repositories(first: 1) { totalCount }'), measure: 'aliases' },
  { name: 'a document nested 2,000 deep (which once overflowed the parser)', query: nestedFields(2000), measure: 'tokens' },
  { name: 'a document nested 1,000 deep', query: nestedFields(1000), measure: 'tokens' },
  {
    name: 'tags of the repository of each tag, three levels of 80',
    query: '{ repositories(first: 1) { nodes { tags(first: 80) { nodes { repository { tags(first: 80) { nodes { repository { tags(first: 80) { nodes { name } } } } } } } } } } }',
    measure: 'cost',
  },
  { name: 'tags of the repository of a tag, six levels of one row', query: nested(6), measure: 'depth' },
])('$name is refused as too complex, naming the $measure', async ({ query, measure }) => {
  const answer = await refusal(query);
  expect(answer).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX', measure, measured: expect.any(Number), limit: DEFAULT_QUERY_LIMITS[measure as keyof typeof DEFAULT_QUERY_LIMITS] });
  expect(answer.measured).toBeGreaterThan(answer.limit!);
});

test('fragments that spread each other again and again are refused on their cost, not expanded', async () => {
  // Each fragment spreads the one before ten times: five levels are 100,000 fields from a few hundred tokens, within the depth limit.
  const fragments = Array.from({ length: 5 }, (_, i) => `fragment F${i + 1} on Repository { ${`...F${i} `.repeat(10)}}`).join('\n');
  const query = `{ repositories(first: 1) { nodes { ...F5 } } }\nfragment F0 on Repository { name }\n${fragments}`;
  expect(await refusal(query)).toMatchObject({ status: 400, code: 'QUERY_TOO_COMPLEX', measure: 'cost', limit: DEFAULT_QUERY_LIMITS.cost });
});

test('the cost counts page sizes given in variables, and the default page size when none is given', async () => {
  const query = 'query($n: Int) { repositories(first: 1) { nodes { tags(first: $n) { nodes { repository { tags(first: $n) { nodes { name digest pullCount } } } } } } } }';
  expect(await refusal(query, { n: 400 })).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'cost' });
  const small = await graphql(server, query, { n: 2 });
  expect(small.body.errors).toBeUndefined();
  // No first: 100 tags per repository, so about 100 × 100 × 6 fields, over the limit of 50,000 as well.
  expect(await refusal('{ repositories(first: 1) { nodes { tags { nodes { repository { tags { nodes { name digest pushCount pullCount createdAt } } } } } } } }')).toMatchObject({ measure: 'cost' });
});

test('an operation within the limits runs and reports its cost in headers', async () => {
  const { status, headers, body } = await graphql(server, '{ repositories(first: 50) { totalCount nodes { fullName tags(first: 10) { nodes { name digest } } } } }');
  expect(status).toBe(200);
  expect(body.data.repositories.totalCount).toBe(3);
  // Each connection costs one plus its rows times what a row selects: totalCount, and nodes with fullName and their tags.
  expect(headers.get('x-query-cost')).toBe(String(1 + 50 * (1 + (1 + 1 + (1 + 10 * (1 + 2))))));
  expect(headers.get('x-query-cost-limit')).toBe(String(DEFAULT_QUERY_LIMITS.cost));
});

test('introspection that cycles through types is refused by graphql-js itself', async () => {
  let selection = 'name';
  for (let step = 0; step < 3; step++) selection = `fields { type { ofType { ofType { ofType { ${selection} } } } } }`;
  const { status, body } = await graphql(server, `{ __schema { types { ${selection} } } }`);
  expect(status).toBe(400);
  expect(body.errors![0].message).toBe('Maximum introspection depth exceeded');
});

test("GraphiQL's introspection runs, with every option a client asks for", async () => {
  const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
  const { status, body } = await graphql(server, query);
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  expect(body.data.__schema.queryType.name).toBe('Query');
});

test("the limits are settings, and they hold for the legacy routes' own operations, answered in the legacy envelope", async () => {
  const strict = await startServer({ env: { BERTH_GRAPHQL_MAX_COST: '10' } });
  try {
    const legacy = await fetch(`${strict.url}/registry/v1/repositories/public`);
    expect(legacy.status).toBe(400);
    expect(await legacy.json()).toMatchObject({ code: 14001, message: expect.stringMatching(/cost is \d+, over the limit of 10/) });
    const { status, body } = await graphql(strict, '{ repositories(first: 5) { nodes { name } } }');
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'cost', limit: 10 });
  } finally {
    await strict.close();
  }
});

test('an answer over BERTH_GRAPHQL_MAX_RESPONSE_BYTES is refused, naming its size', async () => {
  const small = await startServer({ env: { BERTH_GRAPHQL_MAX_RESPONSE_BYTES: '2000' } });
  try {
    await seed(small.database.db, { repositories: 1, tagsPerRepository: 100, prefix: 'wide' });
    const { status, body } = await graphql(small, '{ repositories(first: 1) { nodes { tags(first: 100) { nodes { name digest } } } } }');
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', measure: 'responseBytes', measured: expect.any(Number), limit: 2000 });
    const fits = await graphql(small, '{ repositories(first: 1) { nodes { tags(first: 2) { nodes { name } } } } }');
    expect(fits.status).toBe(200);
    expect(fits.body.data.repositories.nodes[0].tags.nodes).toHaveLength(2);
  } finally {
    await small.close();
  }
});

test('a frontend on an allowed origin may read the cost headers', async () => {
  const withCors = await startServer({ env: { BERTH_CORS_ORIGINS: 'http://app.example' } });
  try {
    const { status, headers } = await graphql(withCors, '{ repositories(first: 2) { totalCount } }', undefined, undefined, { origin: 'http://app.example' });
    expect(status).toBe(200);
    expect(headers.get('access-control-expose-headers')).toBe('x-query-cost, x-query-cost-limit');
    expect(headers.get('x-query-cost')).toBe(String(1 + 2 * 1));
  } finally {
    await withCors.close();
  }
});

test('at the highest token limit allowed, the most deeply nested values a document can hold are still parsed, never a stack overflow', async () => {
  const highest = await startServer({ env: { BERTH_GRAPHQL_MAX_TOKENS: '3000' } });
  try {
    // Two tokens a level for lists, four for input objects: as deep as 3,000 tokens allow.
    const lists = `{ repositories(keywords: ${'['.repeat(1495)}${']'.repeat(1495)}) { totalCount } }`;
    const objects = `{ repositories(orderBy: ${'{ field: '.repeat(745)}NAME${' }'.repeat(745)}) { totalCount } }`;
    for (const query of [lists, objects]) {
      const { status, body } = await graphql(highest, query);
      expect({ status, code: body.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    }
  } finally {
    await highest.close();
  }
});
