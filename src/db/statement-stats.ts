import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Opt-in (BERTH_SQL_STATS=1) count of the SQL statements each HTTP request
 * runs, answered in an `x-sql-statements` response header. The count lives
 * in the request's async context, so concurrent requests never mix; when the
 * option is off neither the hooks nor the query logger are installed.
 */
const current = new AsyncLocalStorage<{ statements: number }>();
const counts = new WeakMap<FastifyRequest, { statements: number }>();

/** The database's query hook: counts a statement for the request running it. */
export function countStatement(): void {
  const store = current.getStore();
  if (store) store.statements++;
}

export function reportStatementCounts(http: FastifyInstance): void {
  // preHandler runs after the body is read, so the context reaches the handler and everything it awaits.
  http.addHook('preHandler', (request, _reply, done) => {
    const store = { statements: 0 };
    counts.set(request, store);
    current.run(store, done);
  });
  http.addHook('onSend', async (request, reply) => {
    const store = counts.get(request);
    if (store) reply.header('x-sql-statements', String(store.statements));
  });
}
