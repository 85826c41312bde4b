// The GraphiQL page's script, bundled with React and GraphiQL's styles and
// fonts by scripts/build-graphiql.mjs, so the page needs no network beyond Berth.
import 'graphiql/graphiql.css';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { createRoot } from 'react-dom/client';

/** Written into the page by the server (src/graphiql/landing-page.ts). */
interface PageConfig {
  endpoint: string;
  defaultQuery: string;
  defaultHeaders: string;
}

const config = JSON.parse(document.getElementById('berth-graphiql-config')!.textContent!) as PageConfig;

// A plain JSON POST: it passes Apollo's CSRF prevention, and Berth serves no subscriptions.
const fetcher: GraphiQLProps['fetcher'] = async (params, options) => {
  const response = await fetch(config.endpoint, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...options?.headers },
    body: JSON.stringify(params),
  });
  return response.json();
};

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    defaultQuery={config.defaultQuery}
    defaultHeaders={config.defaultHeaders}
    defaultEditorToolsVisibility="headers"
  />,
);
