import { loadDemo } from '../../src/demo';
import { graphql, startServer, type TestServer } from '../support/harness';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await loadDemo(server.database.db);
});
afterAll(() => server.close());

test('the demo data set answers the documented tag list', async () => {
  const response = await fetch(`${server.url}/registry/v1/tag/list/library/registry`);
  expect(response.status).toBe(200);
  const body: any = await response.json();
  expect(body.code).toBe(0);
  expect(body.data.map((t: { Tag: string }) => t.Tag)).toEqual(['latest', 'v1', 'v2', 'v3']);
});

test('GraphQL lists public repositories with their latest tag', async () => {
  const { body } = await graphql<any>(server, '{ repositories(scope: PUBLIC) { totalCount nodes { fullName latestTag { name } } } }');
  expect(body.errors).toBeUndefined();
  expect(body.data.repositories.totalCount).toBe(3);
  expect(body.data.repositories.nodes).toEqual([
    { fullName: 'admin/nginx', latestTag: { name: 'latest' } },
    { fullName: 'library/registry', latestTag: { name: 'v3' } },
    { fullName: 'library/nginx', latestTag: { name: 'latest' } },
  ]);
});
