import { sql } from 'drizzle-orm';
import { suite } from '../support/drivers';
import { graphql, startServer, type TestServer } from '../support/harness';

// Connection settings of a PostgreSQL server; embedded PGlite has one connection and no pool.

async function connectionsAfterConcurrentRequests(server: TestServer): Promise<number> {
  const answers = await Promise.all(Array.from({ length: 20 }, () => graphql(server, '{ repositories(first: 5) { totalCount nodes { name } } }')));
  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  expect(answers.every((a) => a.body.data?.repositories.totalCount === 0)).toBe(true);
  const rows = (await server.database.db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database()`)) as unknown as { n: number }[];
  return rows[0].n;
}

suite('PostgreSQL connection settings', () => {
  test.each(['on', 'off'])('BERTH_DB_POOL_SIZE holds Berth to that many connections (BERTH_DB_PREPARE=%s)', async (prepare) => {
    const server = await startServer({ env: { BERTH_DB_POOL_SIZE: '2', BERTH_DB_PREPARE: prepare } });
    try {
      expect(await connectionsAfterConcurrentRequests(server)).toBeLessThanOrEqual(2);
    } finally {
      await server.close();
    }
  });

  test('a larger pool opens more connections under the same load', async () => {
    const server = await startServer({ env: { BERTH_DB_POOL_SIZE: '6' } });
    try {
      expect(await connectionsAfterConcurrentRequests(server)).toBeGreaterThan(2);
    } finally {
      await server.close();
    }
  });
});
