import type { FastifyInstance } from 'fastify';
import type { Viewer } from './auth/viewer';
import { unauthenticated } from './errors';
import type { AccountService } from './services/accounts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts for (null: anonymous), set once before its handler runs. */
    viewer: Viewer | null;
  }
  interface FastifyContextConfig {
    /** The route is for signed-in callers only: an anonymous one gets 401 before its body is read. */
    signedIn?: boolean;
  }
}

/** Route options of a route for signed-in callers only. */
export const SIGNED_IN = { config: { signedIn: true } };

/**
 * Signs the caller of every request of `scope` in once, as it arrives: a
 * legacy list that runs an operation per page, or an index manifest read
 * twice, still verifies a password once, and credentials are judged before
 * the body is read. A failed sign-in is the request's error (401, or 429 past
 * the limit), as is an anonymous caller of a SIGNED_IN route. Per scope, not
 * global, because the webhook's Authorization header carries the registry's
 * secret, not an account.
 */
export function identifyCallers(scope: FastifyInstance, accounts: AccountService): void {
  scope.decorateRequest('viewer', null);
  scope.addHook('onRequest', async (request) => {
    request.viewer = await accounts.authenticate(request.headers.authorization, request.ip);
    if (!request.viewer && request.routeOptions.config?.signedIn) throw unauthenticated();
  });
}
