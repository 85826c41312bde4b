import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where scripts/build-graphiql.mjs writes the bundle; the same from src/ (tests) and dist/. */
export const GRAPHIQL_ASSETS_DIR = path.resolve(__dirname, '../../dist/public/graphiql');
export const GRAPHIQL_ASSETS_PREFIX = '/graphiql/';

export const graphiqlAssetsBuilt = () => existsSync(path.join(GRAPHIQL_ASSETS_DIR, 'graphiql.js'));

/**
 * The GraphiQL page may load and call Berth only: the browser itself
 * enforces that nothing leaves for another host. Inline styles are React's
 * style attributes; fonts are embedded in the stylesheet as data: URLs.
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Adds the GraphiQL page's content security policy, and serves the bundle
 * when it is built; file names are fixed, so clients revalidate (ETag)
 * rather than cache blindly.
 */
export async function graphiqlRoutes(http: FastifyInstance): Promise<void> {
  http.addHook('onSend', async (request, reply) => {
    const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    if (html && request.routeOptions.url === '/graphql') reply.header('content-security-policy', PAGE_POLICY);
  });
  if (!graphiqlAssetsBuilt()) return;
  await http.register(fastifyStatic, {
    root: GRAPHIQL_ASSETS_DIR,
    prefix: GRAPHIQL_ASSETS_PREFIX,
    cacheControl: true,
    maxAge: 0,
    index: false,
    wildcard: false,
  });
}
