// Bundles the GraphiQL page (web/graphiql.tsx) with React, GraphiQL's CSS and
// its embedded fonts into dist/public/graphiql, which Berth serves itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [path.join(root, 'web/graphiql.tsx')],
  outdir: path.join(root, 'dist/public/graphiql'),
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['es2020'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  legalComments: 'linked',
});
