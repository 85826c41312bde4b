import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { answerOfRequest, BerthError, ErrorCode } from '../errors';

/**
 * Puts a Berth error's code in `extensions.code`; any other error thrown by a
 * resolver is a bug, so its message (which may name SQL or internals) is hidden.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof BerthError) {
    return { ...formatted, message: original.message, extensions: { code: original.code } };
  }
  if (original instanceof GraphQLError || formatted.extensions?.code !== ErrorCode.Internal) return formatted;
  return { message: 'internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.Internal } };
}

/**
 * A request /graphql could not run at all (the caller's sign-in failed, the
 * body is too large or unreadable): the status and headers from the error
 * map, and a GraphQL response body so clients read it like any other error.
 */
export function graphqlRequestError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const answer = answerOfRequest(error, request);
  return reply
    .code(answer.status)
    .headers(answer.headers)
    .send({ errors: [{ message: answer.message, extensions: { code: answer.code } }] });
}
