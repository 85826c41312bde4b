import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlErrors, graphqlOperationDuration, graphqlOperations } from './metrics';

/** Counts GraphQL operations by type and outcome, times them, and counts errors by code. */
export function graphqlMetrics(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, errors, response }) {
          const type = operation?.operation ?? 'unknown';
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const failed = Boolean(errors?.length || result?.errors?.length);
          graphqlOperations.inc({ type, outcome: failed ? 'error' : 'success' });
          graphqlOperationDuration.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
          for (const error of result?.errors ?? errors ?? []) {
            graphqlErrors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          }
        },
      };
    },
  };
}
