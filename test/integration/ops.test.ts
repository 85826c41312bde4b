import 'reflect-metadata';
import { openDatabase } from '../../src/db/client';
import { loadDemo } from '../../src/demo';
import { buildApp } from '../../src/server';
import { graphql, startServer, type TestServer } from '../support/harness';
import { CAPTURED_SECRET, deliver, envelopes } from '../support/registry-events';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  await loadDemo(server.database.db);
});
afterAll(() => server.close());

/** The value of one sample in Prometheus text format, 0 when the series does not exist yet. */
async function sample(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return 0;
}

describe('health', () => {
  test('GET /healthz answers while the process runs', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz answers 200 when the database is reachable and migrated', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  test('GET /readyz answers 503 once the database is closed, while /healthz stays up', async () => {
    const stopped = await startServer();
    try {
      await stopped.database.close();
      const ready = await fetch(`${stopped.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'database is unreachable' });
      expect((await fetch(`${stopped.url}/healthz`)).status).toBe(200);
    } finally {
      // The database is already closed: a second close fails on PGlite, and drops a PostgreSQL test database.
      await stopped.close().catch(() => {});
    }
  });

  test('GET /readyz answers 503 when the migrations have not been applied', async () => {
    const database = await openDatabase({ dataDir: 'memory://' });
    const { http } = await buildApp({ config: { bodyLimit: 65536, logLevel: 'silent' }, database });
    try {
      const response = await http.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().reason).toMatch(/not migrated/);
      await database.migrate();
      expect((await http.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await http.close();
      await database.close();
    }
  });
});

describe('request ids', () => {
  test('every response carries a generated x-request-id', async () => {
    const first = await fetch(`${server.url}/healthz`);
    const second = await fetch(`${server.url}/healthz`);
    const ids = [first.headers.get('x-request-id'), second.headers.get('x-request-id')];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  test("a caller's own x-request-id is echoed, and an unsafe one is replaced", async () => {
    const echoed = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'proxy-7f3a:42' } });
    expect(echoed.headers.get('x-request-id')).toBe('proxy-7f3a:42');
    const unsafe = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'a b\tc' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('metrics', () => {
  test('GET /metrics is Prometheus text with Berth series and process metrics', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'berth_http_requests_total',
      'berth_http_request_duration_seconds',
      'berth_graphql_operations_total',
      'berth_graphql_errors_total',
      'berth_webhook_events_recorded_total',
      'berth_webhook_events_duplicate_total',
      'berth_webhook_deliveries_rejected_total',
      'berth_db_pool_max_connections',
      'process_resident_memory_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(await sample('berth_db_pool_max_connections', { driver: server.driver })).toBe(server.driver === 'pglite' ? 1 : 5);
  });

  test('requests are counted and timed by route template, not by raw URL', async () => {
    const route = { method: 'GET', route: '/registry/v1/tag/list/:namespace/:image', status: '200' };
    const before = await sample('berth_http_requests_total', route);
    const timedBefore = await sample('berth_http_request_duration_seconds_count', route);
    expect((await fetch(`${server.url}/registry/v1/tag/list/library/registry`)).status).toBe(200);
    expect((await fetch(`${server.url}/registry/v1/tag/list/admin/nginx`)).status).toBe(200);
    expect(await sample('berth_http_requests_total', route)).toBe(before + 2);
    expect(await sample('berth_http_request_duration_seconds_count', route)).toBe(timedBefore + 2);

    const missing = { method: 'GET', route: 'unmatched', status: '404' };
    const missingBefore = await sample('berth_http_requests_total', missing);
    expect((await fetch(`${server.url}/no/such/page`)).status).toBe(404);
    expect(await sample('berth_http_requests_total', missing)).toBe(missingBefore + 1);
  });

  test('GraphQL operations are counted by type and outcome, and errors by code', async () => {
    const ok = { type: 'query', outcome: 'success' };
    const failed = { type: 'query', outcome: 'error' };
    const [okBefore, failedBefore, notFoundBefore, invalidBefore] = await Promise.all([
      sample('berth_graphql_operations_total', ok),
      sample('berth_graphql_operations_total', failed),
      sample('berth_graphql_errors_total', { code: 'NOT_FOUND' }),
      sample('berth_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' }),
    ]);
    expect((await graphql(server, '{ repositories(first: 1) { nodes { fullName } } }')).body.errors).toBeUndefined();
    const notFound = await graphql(server, '{ repository(namespace: "library", name: "nope") { name } }');
    expect(notFound.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await graphql(server, '{ noSuchField }');

    expect(await sample('berth_graphql_operations_total', ok)).toBe(okBefore + 1);
    expect(await sample('berth_graphql_operations_total', failed)).toBe(failedBefore + 1);
    expect(await sample('berth_graphql_errors_total', { code: 'NOT_FOUND' })).toBe(notFoundBefore + 1);
    expect(await sample('berth_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(invalidBefore + 1);
  });
  test('webhook events are counted as recorded or duplicate, and refused deliveries by reason', async () => {
    const ingest = await startServer({ env: { BERTH_WEBHOOK_SECRET: CAPTURED_SECRET } });
    try {
      const before = {
        recorded: await sample('berth_webhook_events_recorded_total'),
        duplicate: await sample('berth_webhook_events_duplicate_total'),
        unauthenticated: await sample('berth_webhook_deliveries_rejected_total', { reason: 'unauthenticated' }),
        malformed: await sample('berth_webhook_deliveries_rejected_total', { reason: 'malformed' }),
      };
      const first = await deliver(ingest, envelopes[0]);
      expect(first.status).toBe(200);
      const events = first.body.data!.recorded;
      expect(events).toBeGreaterThan(0);
      expect((await deliver(ingest, envelopes[0])).body.data).toEqual({ recorded: 0, duplicates: events });
      expect((await deliver(ingest, envelopes[0], { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await deliver(ingest, '{"events": 42}')).status).toBe(400);

      expect(await sample('berth_webhook_events_recorded_total')).toBe(before.recorded + events);
      expect(await sample('berth_webhook_events_duplicate_total')).toBe(before.duplicate + events);
      expect(await sample('berth_webhook_deliveries_rejected_total', { reason: 'unauthenticated' })).toBe(before.unauthenticated + 1);
      expect(await sample('berth_webhook_deliveries_rejected_total', { reason: 'malformed' })).toBe(before.malformed + 1);
    } finally {
      await ingest.close();
    }
  });
});

describe('the GraphiQL page', () => {
  test('a browser asking for /graphql gets GraphiQL whose scripts and styles all come from Berth', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Berth GraphiQL</title>');
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(references).toEqual(['/graphiql/graphiql.css', '/graphiql/graphiql.js']);
    for (const reference of references) {
      const asset = await fetch(`${server.url}${reference}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(reference.endsWith('.js') ? /javascript/ : /text\/css/);
      expect((await asset.text()).length).toBeGreaterThan(10_000);
    }
  });

  test('programs keep POST /graphql, and a GET without a preflight header is still refused (CSRF prevention)', async () => {
    expect((await graphql(server, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    const simpleGet = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(simpleGet.status).toBe(400);
    expect(await simpleGet.text()).toMatch(/CSRF/);
  });
});
