import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where scripts/build-graphiql.mjs writes the bundle; the same from src/ (tests) and dist/. */
export const GRAPHIQL_ASSETS_DIR = path.resolve(__dirname, '../../dist/public/graphiql');
export const GRAPHIQL_ASSETS_PREFIX = '/graphiql/';

export const graphiqlAssetsBuilt = () => existsSync(path.join(GRAPHIQL_ASSETS_DIR, 'graphiql.js'));

/** Serves the GraphiQL bundle; file names are fixed, so clients revalidate (ETag) rather than cache blindly. */
export async function graphiqlAssets(http: FastifyInstance): Promise<void> {
  await http.register(fastifyStatic, {
    root: GRAPHIQL_ASSETS_DIR,
    prefix: GRAPHIQL_ASSETS_PREFIX,
    cacheControl: true,
    maxAge: 0,
    index: false,
    wildcard: false,
  });
}
