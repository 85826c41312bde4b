import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { BerthError, ErrorCode } from '../errors';
import { AUTHENTICATE_CHALLENGES } from '../rest/legacy-envelope';

/**
 * Puts a Berth error's code in `extensions.code`; any other error thrown by a
 * resolver is a bug, so its message (which may name SQL or internals) is hidden.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof BerthError) {
    return { ...formatted, message: original.message, extensions: { code: original.code } };
  }
  if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
  return { message: 'internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * A sign-in that failed while building the context: 401 with the schemes to
 * retry with, or 429 with when to retry. Other errors are not the caller's.
 */
export function toHttpGraphQLError(error: BerthError): GraphQLError {
  const headers = new HeaderMap();
  let status = 500;
  if (error.code === ErrorCode.Unauthenticated) {
    status = 401;
    headers.set('www-authenticate', AUTHENTICATE_CHALLENGES.join(', '));
  } else if (error.code === ErrorCode.TooManyRequests) {
    status = 429;
    headers.set('retry-after', String(error.retryAfterSeconds));
  }
  return new GraphQLError(error.message, { extensions: { code: error.code, http: { status, headers } } });
}
