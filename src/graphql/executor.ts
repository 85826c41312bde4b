import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { execute, getOperationAST, GraphQLError, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { QueryLimits } from '../config';
import type { Context } from './context';
import { answerOf, BerthError } from '../errors';
import { measureOperation } from './limits';

export interface Operation {
  document: DocumentNode;
  variableValues?: Record<string, unknown> | null;
  contextValue: unknown;
  operationName?: string | null;
}

type Gateway = ApolloServerOptionsWithGateway<never>['gateway'];

export type Executor = (operation: Operation) => Promise<ExecutionResult> | ExecutionResult;

/**
 * Runs operations through graphql-jit: each document is compiled once into
 * JavaScript specialised to its selection, instead of graphql-js walking the
 * selection and building an info object and argument map for every field of
 * every object. A list of 1,000 tags costs about half the CPU and garbage.
 * Same schema, same resolvers (and so the same loaders and access checks);
 * a mutation, or an operation graphql-jit cannot compile, runs on graphql-js.
 */
export function createExecutor(schema: GraphQLSchema, limits: QueryLimits): Executor {
  // Keyed by the parsed document: Apollo's document cache and the REST shim's
  // constant documents hand the same object back for the same operation.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  return ({ document, variableValues, contextValue, operationName }) => {
    const operation = getOperationAST(document, operationName);
    // Without a gateway Apollo refuses these itself; with one, the executor must, as the caller's mistake.
    if (!operation) return { errors: [unknownOperation(operationName)] };
    // Variables are checked by graphql-js, whose errors Apollo recognises as the caller's (BAD_USER_INPUT).
    const variables = operation.variableDefinitions ?? [];
    if (variables.length > 0 && getVariableValues(schema, variables, variableValues ?? {}).errors) {
      return execute({ schema, document, variableValues, contextValue, operationName });
    }
    // Measured before it is compiled or run (a fragment spread 100,000 times over is refused, not expanded), the REST shim's operations as much as the callers' own.
    try {
      (contextValue as Partial<Context>).queryCost = measureOperation(schema, document, operationName, variableValues, limits);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    let query = byName.get(operationName ?? '');
    if (query === undefined) {
      // Mutations answer little, and graphql-jit 0.8.9 hands an input field whose variable is absent null, not its default.
      const jit = operation.operation === 'mutation' ? null : compileQuery(schema, document, operationName ?? undefined);
      query = jit && isCompiledQuery(jit) ? jit : null;
      byName.set(operationName ?? '', query);
    }
    if (!query) return then(execute({ schema, document, variableValues, contextValue, operationName }), withGraphQLErrors);
    const result = query.query(undefined, contextValue, variableValues ?? {});
    return isPromise(result) ? result.then(withGraphQLErrors) : withGraphQLErrors(result);
  };
}

function unknownOperation(operationName: string | null | undefined): GraphQLError {
  const message = operationName ? `the document has no operation named "${operationName}"` : 'the document has several operations: name the one to run in operationName';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as Promise<T>)?.then === 'function';

/** `change` applied to a result that may or may not be a promise, without making a synchronous one asynchronous. */
const then = <T, U>(value: T | Promise<T>, change: (value: T) => U): U | Promise<U> => (isPromise(value) ? value.then(change) : change(value));

/**
 * A resolver that failed because the database is unavailable (or a statement
 * timed out) makes the whole answer a 503 with Retry-After, as on the legacy
 * routes, through Apollo's `extensions.http`, rather than a 200 carrying the error.
 */
function unavailability(originalError: Error | undefined): { http?: { status: number; headers: Map<string, string> } } {
  if (!originalError || originalError instanceof BerthError) return {};
  const answer = answerOf(originalError);
  if (answer.status !== 503) return {};
  return { http: { status: 503, headers: new Map(Object.entries(answer.headers).map(([name, value]) => [name, String(value)])) } };
}

/**
 * graphql-jit's errors imitate graphql-js's but leave `extensions` undefined,
 * which Apollo's error formatting reads; rebuild them as graphql-js errors.
 */
function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError, extensions: { ...e.extensions, ...unavailability(e.originalError) } });
    Object.defineProperty(error, 'locations', { value: e.locations, enumerable: Boolean(e.locations?.length) });
    return error;
  });
  return { ...result, errors };
}

/**
 * Apollo Server's hook for a custom executor is its gateway interface: it
 * takes the schema from here and hands each validated operation to `executor`.
 */
export function executorGateway(schema: GraphQLSchema, executor: Executor): Gateway {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return {
        // The name the caller asked for: Apollo's own `operationName` is that of the operation it resolved, null when none matched.
        executor: async (request) =>
          executor({ document: request.document, variableValues: request.request.variables, contextValue: request.context, operationName: request.request.operationName }),
      };
    },
    async stop() {},
  };
}
