import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { FastifyRequest } from 'fastify';
import { viewerOf } from '../auth/request';
import { BerthError } from '../errors';
import { createContext } from '../graphql/context';
import type { Executor } from '../graphql/executor';
import type { Services } from '../services';

/** Runs one typed GraphQL operation as the request's caller. */
export type Run = <TData, TVariables>(request: FastifyRequest, document: TypedDocumentNode<TData, TVariables>, variables: TVariables) => Promise<TData>;

/** A legacy route's way into the GraphQL schema, through the same executor as /graphql: its first error (a Berth error keeps its code) is thrown. */
export function operationRunner(executor: Executor, services: Services): Run {
  return async (request, document, variables) => {
    const contextValue = createContext(services, await viewerOf(services, request));
    const result = await executor({ document, variableValues: variables as Record<string, unknown>, contextValue });
    const [error] = result.errors ?? [];
    if (error) {
      if (error.originalError instanceof BerthError) throw error.originalError;
      throw error.originalError ?? error;
    }
    return result.data as never;
  };
}
