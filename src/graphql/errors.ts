import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { answerOf, answerOfRequest, BerthError, ErrorCode } from '../errors';
import { queryTooComplex } from './limits';

/** graphql-js's words when its parser stops at `maxTokens` (16.x spells it "more that"). */
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;

/**
 * Puts a Berth error's code in `extensions.code`; any other error thrown by a
 * resolver is a bug, so its message (which may name SQL or internals) is hidden.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const tokens = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT.exec(formatted.message);
  if (tokens) {
    // The parser stops counting at the limit: the document has at least one token more.
    const limit = Number(tokens[1]);
    const { extensions } = queryTooComplex('tokens', limit + 1, limit);
    return { message: `the document has more than ${limit} tokens, the limit; send a shorter one`, extensions: { ...extensions, http: undefined } };
  }
  const original = unwrapResolverError(error);
  if (original instanceof BerthError) {
    return { ...formatted, message: original.message, extensions: { code: original.code } };
  }
  if (original instanceof GraphQLError || formatted.extensions?.code !== ErrorCode.Internal) return formatted;
  // A failure that is not a bug (a statement timeout, say) keeps its own code and words.
  const { code, message } = answerOf(original);
  return { message, locations: formatted.locations, path: formatted.path, extensions: { code } };
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
