import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { QueryLimits } from '../config';
import { ErrorCode } from '../errors';
import { MAX_PAGE_SIZE } from '../services/pagination';

export type QueryMeasure = keyof QueryLimits;

const MEASURE_WORDS: Record<QueryMeasure, string> = {
  depth: 'depth',
  aliases: 'number of aliases',
  tokens: 'number of tokens',
  cost: 'cost',
  responseBytes: 'answer size in bytes',
};

/** QUERY_TOO_COMPLEX: the caller's operation is over a limit; 400, with what was measured and the limit. */
export function queryTooComplex(measure: QueryMeasure, measured: number, limit: number): GraphQLError {
  return new GraphQLError(`the operation's ${MEASURE_WORDS[measure]} is ${measured}, over the limit of ${limit}; ask for less (smaller pages, fewer fields or aliases)`, {
    extensions: { code: ErrorCode.QueryTooComplex, measure, measured, limit, http: { status: 400 } },
  });
}

/**
 * The cost rule of a connection field, kept in the field's extensions by
 * type-graphql: its page size times what each row selects, plus one.
 */
export const pageCost =
  (defaultSize: number): ComplexityEstimator =>
  ({ args, childComplexity }) =>
    // A `first` out of range costs the largest page here; the resolver then refuses it as BAD_USER_INPUT, the more precise answer.
    1 + (typeof args.first === 'number' ? Math.min(Math.max(args.first, 0), MAX_PAGE_SIZE) : defaultSize) * childComplexity;

/** A field without a rule of its own costs one, plus what it selects. */
const ESTIMATORS = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];

/**
 * Depth and aliases of every operation of a document, measured by
 * graphql-armor's rules (the limits are judged here, so the measure is
 * known even when it is over). Introspection fields do not count towards
 * depth: GraphiQL's own query nests 21 deep through its type references, and
 * graphql-js's MaxIntrospectionDepthRule already refuses the cycles
 * (`fields { type { fields …`) that would make introspection expensive.
 */
function measureShape(schema: GraphQLSchema, document: DocumentNode): Shape {
  const shape = { depth: 0, aliases: 0 };
  const unbounded = Number.MAX_SAFE_INTEGER;
  validate(schema, document, [
    maxDepthRule({ n: unbounded, ignoreIntrospection: true, onAccept: [(_context, { n }) => (shape.depth = Math.max(shape.depth, n))] }),
    maxAliasesRule({ n: unbounded, onAccept: [(_context, { n }) => (shape.aliases = Math.max(shape.aliases, n))] }),
  ]);
  return shape;
}

interface Shape {
  depth: number;
  aliases: number;
}

/** The shape does not depend on variables, and Apollo and the REST shim hand back the same parsed document: measured once per document. */
const shapes = new WeakMap<DocumentNode, Shape>();

function shapeOf(schema: GraphQLSchema, document: DocumentNode): Shape {
  let shape = shapes.get(document);
  if (!shape) shapes.set(document, (shape = measureShape(schema, document)));
  return shape;
}

/**
 * Measures the operation about to run, and throws QUERY_TOO_COMPLEX when it
 * is over a limit; answers its cost otherwise. Depth and aliases come first,
 * so the cost walk only ever sees a document of bounded shape.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits,
): number {
  const shape = shapeOf(schema, document);
  if (shape.depth > limits.depth) throw queryTooComplex('depth', shape.depth, limits.depth);
  if (shape.aliases > limits.aliases) throw queryTooComplex('aliases', shape.aliases, limits.aliases);
  // Every field visited costs at least one, so past `cost` visits (fragments spread again and again) the cost is over too.
  const maxQueryNodes = limits.cost + 1;
  let cost: number;
  try {
    cost = getComplexity({ schema, query: document, operationName: operationName ?? undefined, variables: variables ?? {}, estimators: ESTIMATORS, maxQueryNodes });
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) throw queryTooComplex('cost', maxQueryNodes, limits.cost);
    throw error;
  }
  if (cost > limits.cost) throw queryTooComplex('cost', cost, limits.cost);
  return cost;
}
