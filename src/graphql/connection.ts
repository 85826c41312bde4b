import type { Page, PageArgs } from '../services/pagination';

/**
 * Shapes a service page as a Relay connection, with `extra` fields for the
 * connection's own resolvers. Edges and page info are getters, so their
 * cursors are encoded only when a query selects them: a page of 1,000 tags
 * read through `nodes` builds none.
 */
export function toConnection<T, Extra extends object>(page: Page<T>, args: PageArgs, extra: Extra) {
  const { nodes } = page;
  return {
    ...extra,
    nodes,
    get edges() {
      return nodes.map((node) => ({ cursor: page.cursorOf(node), node }));
    },
    get pageInfo() {
      return {
        hasNextPage: page.hasNextPage,
        // Lists page forward only: a cursor names a row of an earlier page, and counting what lies before it would cost a statement.
        hasPreviousPage: Boolean(args.after),
        startCursor: nodes.length ? page.cursorOf(nodes[0]) : null,
        endCursor: nodes.length ? page.cursorOf(nodes[nodes.length - 1]) : null,
      };
    },
  };
}
