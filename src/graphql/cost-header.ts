import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from './context';

/** The headers that tell a frontend how close its operation came to the cost limit. */
export const COST_HEADERS = ['x-query-cost', 'x-query-cost-limit'];

/** Answers each measured operation's cost, and the limit, in headers: the body stays exactly what the operation asked for. */
export function costHeaders(limit: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (contextValue.queryCost === undefined) return;
          response.http.headers.set('x-query-cost', String(contextValue.queryCost));
          response.http.headers.set('x-query-cost-limit', String(limit));
        },
      };
    },
  };
}
