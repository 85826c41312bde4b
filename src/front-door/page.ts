/**
 * What a browser (or curl) finds at `/`: where the two APIs, the health
 * checks and the documentation are. Links are relative, so they still work
 * behind a proxy that serves Berth under a path of its own.
 */
export const FRONT_DOOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Berth</title>
<link rel="icon" href="favicon.ico">
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; color: #1b2733; }
h1 { color: #1f4e79; }
code { background: #eef2f6; padding: 0 0.25em; border-radius: 3px; }
li { margin: 0.5em 0; }
</style>
</head>
<body>
<h1>Berth</h1>
<p>The metadata of a Docker registry: repositories, tags, manifests, who may see them and how often they are pulled.</p>
<ul>
<li><a href="graphql"><code>/graphql</code></a>: the GraphQL API. Open it in a browser for GraphiQL, whose Docs panel describes every field.</li>
<li><a href="registry/v1/repositories/public"><code>/registry/v1</code></a>: the legacy REST API, for example <code>GET /registry/v1/repositories/public</code> and <code>GET /registry/v1/tag/list/library/registry</code>.</li>
<li><code>/registry/v1/token</code>: the token service of the Docker registry Berth follows; <code>docker login</code>, <code>pull</code> and <code>push</code> ask it who may do what.</li>
<li><a href="healthz"><code>/healthz</code></a>, <a href="readyz"><code>/readyz</code></a>, <a href="metrics"><code>/metrics</code></a>: liveness, readiness and Prometheus metrics.</li>
</ul>
<p>Documentation: <code>README.md</code> in Berth's folder (running it, settings, the command line, accounts, both APIs) and <code>docs/registry.md</code> (wiring a Docker registry to Berth, and following it).</p>
</body>
</html>
`;
