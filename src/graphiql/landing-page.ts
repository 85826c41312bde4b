import type { ApolloServerPlugin } from '@apollo/server';
import { GRAPHIQL_ASSETS_PREFIX, graphiqlAssetsBuilt } from './assets';
import { STARTER_HEADERS, STARTER_QUERY } from './starter';

/** JSON that is safe inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(endpoint: string): string {
  const config = scriptJson({ endpoint, defaultQuery: STARTER_QUERY, defaultHeaders: STARTER_HEADERS });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Berth GraphiQL</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSETS_PREFIX}graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql"></div>
<script id="berth-graphiql-config" type="application/json">${config}</script>
<script src="${GRAPHIQL_ASSETS_PREFIX}graphiql.js"></script>
</body>
</html>
`;
}

const MISSING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Berth GraphiQL</title></head>
<body><h1>GraphiQL is not built</h1>
<p>Berth serves GraphiQL from files made by <code>npm run build</code> (run by <code>npm install</code>); run it and restart Berth.
<code>POST /graphql</code> works meanwhile.</p></body></html>
`;

/**
 * Answers a browser's GET /graphql with GraphiQL served from Berth's own
 * assets, in place of Apollo's landing page, which loads Apollo Sandbox
 * from a CDN and so shows nothing on a network without internet access.
 */
export function graphiqlLandingPage(endpoint = '/graphql'): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const html = graphiqlAssetsBuilt() ? page(endpoint) : MISSING;
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}
