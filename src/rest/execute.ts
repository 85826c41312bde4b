import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { FastifyRequest } from 'fastify';
import { BerthError, ErrorCode } from '../errors';
import { createContext, type Context } from '../graphql/context';
import type { Executor } from '../graphql/executor';
import type { Services } from '../services';

/** Runs one typed GraphQL operation as the request's caller. */
export type Run = <TData, TVariables>(request: FastifyRequest, document: TypedDocumentNode<TData, TVariables>, variables: TVariables) => Promise<TData>;

/**
 * A legacy route's way into the GraphQL schema, through the same executor as
 * /graphql: its first error (a Berth error keeps its code) is thrown. The
 * operations of one request (the pages of a list, say) share one context,
 * as the fields of one /graphql operation do.
 */
export function operationRunner(executor: Executor, services: Services): Run {
  const contexts = new WeakMap<FastifyRequest, Context>();
  const contextOf = (request: FastifyRequest) => {
    let context = contexts.get(request);
    if (!context) contexts.set(request, (context = createContext(services, request.viewer)));
    return context;
  };
  return async (request, document, variables) => {
    const result = await executor({ document, variableValues: variables as Record<string, unknown>, contextValue: contextOf(request) });
    const [error] = result.errors ?? [];
    if (error) {
      if (error.originalError instanceof BerthError) throw error.originalError;
      // A limit an operator set below what a legacy route asks for: the caller gets its reason, not a 500.
      if (error.extensions?.code === ErrorCode.QueryTooComplex) throw new BerthError(ErrorCode.QueryTooComplex, error.message);
      throw error.originalError ?? error;
    }
    return result.data as never;
  };
}
