import { DrizzleQueryError } from 'drizzle-orm/errors';

const MAX_QUERY_TEXT = 500;

/**
 * drizzle puts a failed query's parameters in the error message. For queries
 * that carry a password hash or a token hash, use this before the error can
 * reach a log line or a response: it keeps the SQL and the driver's cause
 * (and its code), and drops the parameters.
 */
export function withoutParameters(error: unknown): unknown {
  if (!(error instanceof DrizzleQueryError)) return error;
  // A many-row insert's SQL is long and says nothing more after its first rows.
  const query = error.query.length > MAX_QUERY_TEXT ? `${error.query.slice(0, MAX_QUERY_TEXT)}…` : error.query;
  const redacted = new Error(`Failed query: ${query}\nparams: (hidden: they may hold credentials or whole events)`, { cause: error.cause });
  return Object.assign(redacted, { code: (error.cause as { code?: unknown } | undefined)?.code });
}

/** Runs `query`, letting no failure carry its parameters. */
export async function hidingParameters<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    throw withoutParameters(error);
  }
}
