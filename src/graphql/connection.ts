import type { Page } from '../services/pagination';

/** Shapes a service page as a Relay connection. */
export function toConnection<T>(page: Page<T>) {
  const edges = page.nodes.map((node) => ({ cursor: page.cursorOf(node), node }));
  return {
    edges,
    nodes: page.nodes,
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}
