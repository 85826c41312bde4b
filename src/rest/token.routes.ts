import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { identifyCallers } from '../caller';
import { badInput, ErrorCode, notFound, uriTooLong, type ErrorAnswer } from '../errors';
import { registryTokenActions, registryTokenRequests } from '../ops/metrics';
import type { IssuedToken } from '../registry-token/issuer';
import type { ResourceScope } from '../registry-token/scope';
import type { Services } from '../services';
import { legacyErrors } from './legacy-envelope';

interface Options {
  services: Services;
}

/** Far above any client's request (a mount asks two scopes), well below Node's 16 KiB header limit, which answers without a body. */
export const MAX_TOKEN_URL_LENGTH = 8 * 1024;

/** RFC 6749 appendix A.1: `client-id = *VSCHAR`. */
const CLIENT_ID = /^[\x20-\x7e]{0,200}$/;

/** A parameter given at most once, as a string. */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw badInput(`${name} must be given at most once`);
}

function readRequest(request: FastifyRequest) {
  const query = request.query as Record<string, unknown>;
  const scope = query.scope;
  const scopes = scope === undefined ? [] : [scope].flat();
  if (!scopes.every((s): s is string => typeof s === 'string')) throw badInput('scope must be text');
  const offline = single(query, 'offline_token');
  if (offline !== undefined && !/^(true|false)$/i.test(offline)) throw badInput('offline_token must be true or false');
  if (!CLIENT_ID.test(single(query, 'client_id') ?? '')) throw badInput('client_id must be at most 200 printable ASCII characters');
  return { service: single(query, 'service'), scopes };
}

/** Why a request got no token, as berth_registry_token_requests_total labels it. */
const outcomeOf = (answer: ErrorAnswer) =>
  answer.code === ErrorCode.Unauthenticated || answer.code === ErrorCode.TooManyRequests ? 'unauthenticated' : answer.status < 500 ? 'malformed' : 'error';

/** The action label of berth_registry_token_actions_total: a few known values, so a caller cannot grow the label set. */
function actionLabel(scope: ResourceScope, action: string): string {
  if (scope.type === 'registry' && scope.name === 'catalog') return 'catalog';
  return scope.type === 'repository' && ['pull', 'push', 'delete', '*'].includes(action) ? action : 'other';
}

function countActions({ requested, access }: IssuedToken): void {
  requested.forEach((scope, index) => {
    for (const action of scope.actions) {
      registryTokenActions.inc({ action: actionLabel(scope, action), outcome: access[index].actions.includes(action) ? 'granted' : 'refused' });
    }
  });
}

/**
 * GET /registry/v1/token: the realm of the registry's `auth.token`
 * (Distribution's token spec). The caller signs in with Basic, an account's
 * password or an access token as the password (what `docker login` sends),
 * or not at all; wrong credentials are a 401, but a scope the caller may not
 * have is no error: the token grants what the caller may. No refresh tokens
 * are issued (`offline_token` is accepted and ignored: clients keep the
 * credentials instead), and POST, OAuth2's form, answers 404 so clients
 * fall back to GET.
 */
const oauthNotOffered = () => notFound('the token service takes GET requests (Distribution token spec); OAuth2 POST is not offered');

export const tokenRoutes: FastifyPluginAsync<Options> = async (app, { services }) => {
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_TOKEN_URL_LENGTH) throw uriTooLong(`a token request is at most ${MAX_TOKEN_URL_LENGTH} characters long`);
    // Before credentials or a body are read, so every POST gets the 404 whatever it carries.
    if (request.method === 'POST') throw oauthNotOffered();
  });
  identifyCallers(app, services.accounts);

  app.get('/token', async (request) => {
    const issued = await services.registryTokens.issue(request.viewer, readRequest(request));
    registryTokenRequests.inc({ outcome: 'issued' });
    countActions(issued);
    request.log.debug({ sub: issued.subject, jti: issued.jti, expiresIn: issued.expiresIn, access: issued.access }, 'registry token issued');
    return { token: issued.token, access_token: issued.token, expires_in: issued.expiresIn, issued_at: issued.issuedAt.toISOString() };
  });

  // Refused in onRequest above; the route only makes POST a known method here.
  app.post('/token', async () => {
    throw oauthNotOffered();
  });

  app.setErrorHandler(legacyErrors({}, (answer) => registryTokenRequests.inc({ outcome: outcomeOf(answer) })).error);
};
