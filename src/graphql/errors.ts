import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { BerthError } from '../errors';

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

/** A Berth error raised before execution (while building the context), with the HTTP status it deserves. */
export function toHttpGraphQLError(error: BerthError, status: number): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, http: { status } } });
}
