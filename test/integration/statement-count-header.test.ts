import 'reflect-metadata';
import { openDatabase, type Database } from '../../src/db/client';
import { buildApp } from '../../src/server';
import { migratedDataDir } from '../support/templates';

/** BERTH_SQL_STATS: an x-sql-statements header with the statements each request ran, and nothing when off. */
describe('x-sql-statements header', () => {
  const started: { close(): Promise<unknown> }[] = [];
  afterAll(async () => {
    for (const s of started.reverse()) await s.close();
  });

  async function start(sqlStats: boolean) {
    const database: Database = await openDatabase({ dataDir: await migratedDataDir(), sqlStats });
    started.push(database);
    await database.migrate();
    const { http } = await buildApp({ config: { bodyLimit: 65536, logLevel: 'silent', sqlStats }, database });
    started.push(http);
    return http;
  }

  const page = (first: number) => JSON.stringify({ query: `{ repositories(first: ${first}) { nodes { name tags { nodes { name } } } } }` });

  test('counts the statements of each request on its own', async () => {
    const http = await start(true);
    const post = (payload: string) => http.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload });
    const [a, b] = await Promise.all([post(page(5)), post(JSON.stringify({ query: '{ __typename }' }))]);
    expect(a.statusCode).toBe(200);
    expect(a.headers['x-sql-statements']).toBe('1');
    expect(b.headers['x-sql-statements']).toBe('0');
    const health = await http.inject({ method: 'GET', url: '/registry/v1/repositories/public' });
    expect(Number(health.headers['x-sql-statements'])).toBeGreaterThanOrEqual(1);
  });

  test('is absent unless enabled', async () => {
    const http = await start(false);
    const answer = await http.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: page(5) });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['x-sql-statements']).toBeUndefined();
  });
});
