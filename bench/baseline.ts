/**
 * The yardstick for scenarios 1 and 5: a minimal node:http server answering
 * the public-repositories-with-tags page with one hand-written SQL statement
 * in which PostgreSQL builds the whole JSON response, and `GET /token` with
 * the one statement a token needs and a fixed token. Run as its own process:
 *   DATABASE_URL=… PORT=… node -r @swc-node/register bench/baseline.ts
 */
import { createServer } from 'node:http';
import postgres from 'postgres';

/** The same bytes Berth's GraphQL answer parses to: same fields, same order, same sorting. */
export const BASELINE_SQL = `
  select json_build_object('data', json_build_object('repositories', json_build_object('nodes', coalesce(json_agg(
    json_build_object(
      'name', r.name,
      'namespace', json_build_object('name', r.namespace_name),
      'pullCount', r.pull_count,
      'tags', json_build_object('nodes', (
        select coalesce(json_agg(json_build_object('name', t.name, 'digest', t.digest, 'size', t.size, 'pullCount', t.pull_count) order by t.name, t.id), '[]')
        from (select tg.id, tg.name, m.digest, m.size, m.pull_count
              from tags tg join manifests m on m.id = tg.manifest_id
              where tg.repository_id = r.id order by tg.name, tg.id limit $2) t)))
    order by r.name, r.id), '[]'))))::text as body
  from (select rp.id, rp.name, rp.pull_count, ns.name as namespace_name
        from repositories rp join namespaces ns on ns.id = rp.namespace_id
        where rp.is_public order by rp.name, rp.id limit $1) r`;

/** What Berth asks before granting a repository scope: the namespace's owner and the repository's publicity. */
export const BASELINE_TOKEN_SQL = `
  select ns.owner_id, r.is_public from namespaces ns left join repositories r on r.namespace_id = ns.id and r.name = $2 where ns.name = $1`;

/** A token of the size and shape Berth answers, fixed and unsigned: the baseline neither signs nor decides. */
const FIXED_TOKEN = (() => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = [part({ typ: 'JWT', alg: 'none', x5c: ['A'.repeat(790)] }), part({ iss: 'baseline', sub: '', aud: 'berth-registry', access: [] }), ''].join('.');
  return JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: '2026-01-01T00:00:00.000Z' });
})();

type Sql = ReturnType<typeof postgres>;

async function page(sql: Sql, requestBody: string): Promise<string> {
  const { variables } = JSON.parse(requestBody || '{}') as { variables?: { first?: number; tags?: number } };
  const [{ body }] = await sql.unsafe(BASELINE_SQL, [variables?.first ?? 50, variables?.tags ?? 20], { prepare: true });
  return body as string;
}

/** `…/token?scope=repository:<namespace>/<name>:pull`, looked up as Berth does, answered with the fixed token. */
async function token(sql: Sql, url: URL): Promise<string> {
  const [, repository = ''] = (url.searchParams.get('scope') ?? '').split(':');
  const [namespace, name = ''] = repository.split('/');
  await sql.unsafe(BASELINE_TOKEN_SQL, [namespace, name], { prepare: true });
  return FIXED_TOKEN;
}

function main() {
  const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.POOL_SIZE ?? 10), onnotice: () => {} });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      try {
        const url = new URL(request.url ?? '/', 'http://baseline');
        const body = url.pathname.endsWith('/token') ? await token(sql, url) : await page(sql, Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-sql-statements': '1' }).end(body);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
  });
  process.once('SIGTERM', () => server.close(() => void sql.end({ timeout: 2 }).then(() => process.exit(0))));
}

if (require.main === module) main();
