import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { FastifyRequest } from 'fastify';
import { execute, type GraphQLSchema } from 'graphql';
import { viewerOf } from '../auth/request';
import { BerthError } from '../errors';
import { createContext } from '../graphql/context';
import type { Services } from '../services';

/** Runs one typed GraphQL operation as the request's caller. */
export type Run = <TData, TVariables>(request: FastifyRequest, document: TypedDocumentNode<TData, TVariables>, variables: TVariables) => Promise<TData>;

/** A legacy route's way into the GraphQL schema: its first error (a Berth error keeps its code) is thrown. */
export function operationRunner(schema: GraphQLSchema, services: Services): Run {
  return async (request, document, variables) => {
    const contextValue = createContext(services, await viewerOf(services, request));
    const result = await execute({ schema, document, variableValues: variables as Record<string, unknown>, contextValue });
    const [error] = result.errors ?? [];
    if (error) {
      if (error.originalError instanceof BerthError) throw error.originalError;
      throw error.originalError ?? error;
    }
    return result.data as never;
  };
}
