import { sql } from 'drizzle-orm';
import postgres from 'postgres';
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

  test('a statement that runs past BERTH_STATEMENT_TIMEOUT_MS is cancelled: 503 with Retry-After, STATEMENT_TIMEOUT in GraphQL', async () => {
    const server = await startServer({ env: { BERTH_STATEMENT_TIMEOUT_MS: '200' } });
    // Another client holds a lock on the repositories table, so Berth's reads of it wait until their timeout.
    const other = postgres(server.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      await other.begin(async (transaction) => {
        await transaction`lock table repositories in access exclusive mode`;
        const legacy = await fetch(`${server.url}/registry/v1/repositories/public`);
        expect(legacy.status).toBe(503);
        expect(legacy.headers.get('retry-after')).toBe('1');
        expect(await legacy.json()).toMatchObject({ code: 14013, message: expect.stringMatching(/statement timeout/) });
        const { status, body } = await graphql(server, '{ repositories(first: 5) { totalCount } }');
        expect(status).toBe(503);
        expect(body.errors![0]).toMatchObject({ message: expect.stringMatching(/statement timeout/), extensions: { code: 'STATEMENT_TIMEOUT' } });
      });
      // Once the lock is gone, the same reads answer.
      expect((await fetch(`${server.url}/registry/v1/repositories/public`)).status).toBe(200);
    } finally {
      await other.end();
      await server.close();
    }
  });
});
