import type { FastifyInstance } from 'fastify';
import type { Viewer } from './auth/viewer';
import type { AccountService } from './services/accounts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts for (null: anonymous), set once before its handler runs. */
    viewer: Viewer | null;
  }
}

/**
 * Signs the caller of every request of `scope` in once, before its handler:
 * a legacy list that runs an operation per page, or an index manifest read
 * twice, still verifies a password once. A failed sign-in is the request's
 * error (401, or 429 past the limit). Per scope, not global, because the
 * webhook's Authorization header carries the registry's secret, not an account.
 */
export function identifyCallers(scope: FastifyInstance, accounts: AccountService): void {
  scope.decorateRequest('viewer', null);
  scope.addHook('preHandler', async (request) => {
    request.viewer = await accounts.authenticate(request.headers.authorization, request.ip);
  });
}
