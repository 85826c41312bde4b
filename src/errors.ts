/**
 * The few ways a request can fail. Each carries a machine code that GraphQL
 * puts in `extensions.code` and the REST shim maps to a legacy status.
 */
export enum ErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UriTooLong = 'URI_TOO_LONG',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  /** A GraphQL operation over a size limit (src/graphql/limits.ts), measured before it ran. */
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  UpstreamFailure = 'UPSTREAM_FAILURE',
  /** PostgreSQL cancelled a statement that ran past BERTH_STATEMENT_TIMEOUT_MS. */
  StatementTimeout = 'STATEMENT_TIMEOUT',
  /** The database cannot be reached (stopped, restarting, or the network): try again shortly. */
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  /** A bug or an outage, never the caller's fault; its cause goes to the log only. */
  Internal = 'INTERNAL_SERVER_ERROR',
}

export class BerthError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For TOO_MANY_REQUESTS and the 503s: when the caller may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'BerthError';
  }
}

export const badInput = (message: string) => new BerthError(ErrorCode.BadUserInput, message);
export const unauthenticated = (message = 'sign in to do this') => new BerthError(ErrorCode.Unauthenticated, message);
export const forbidden = (message: string) => new BerthError(ErrorCode.Forbidden, message);
export const notFound = (message: string) => new BerthError(ErrorCode.NotFound, message);
export const conflict = (message: string) => new BerthError(ErrorCode.Conflict, message);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new BerthError(ErrorCode.TooManyRequests, message, retryAfterSeconds);
export const payloadTooLarge = (message: string) => new BerthError(ErrorCode.PayloadTooLarge, message);
export const uriTooLong = (message: string) => new BerthError(ErrorCode.UriTooLong, message);
/** The registry failed the request; `retryAfterSeconds` when it was out of reach or failing rather than refusing. */
export const upstreamFailure = (message: string, retryAfterSeconds?: number) => new BerthError(ErrorCode.UpstreamFailure, message, retryAfterSeconds);

/** Each code's HTTP status and the legacy server's 140xx error number; a Record, so a new code cannot be left out. */
const HTTP: Record<ErrorCode, { status: number; legacyCode: number }> = {
  [ErrorCode.BadUserInput]: { status: 400, legacyCode: 14001 },
  [ErrorCode.Unauthenticated]: { status: 401, legacyCode: 14009 },
  [ErrorCode.Forbidden]: { status: 403, legacyCode: 14003 },
  [ErrorCode.NotFound]: { status: 404, legacyCode: 14004 },
  [ErrorCode.Conflict]: { status: 409, legacyCode: 14006 },
  [ErrorCode.PayloadTooLarge]: { status: 413, legacyCode: 14002 },
  [ErrorCode.UriTooLong]: { status: 414, legacyCode: 14014 },
  [ErrorCode.UnsupportedMediaType]: { status: 415, legacyCode: 14007 },
  [ErrorCode.TooManyRequests]: { status: 429, legacyCode: 14010 },
  [ErrorCode.QueryTooComplex]: { status: 400, legacyCode: 14001 },
  [ErrorCode.UpstreamFailure]: { status: 503, legacyCode: 14013 },
  [ErrorCode.StatementTimeout]: { status: 503, legacyCode: 14013 },
  [ErrorCode.DatabaseUnavailable]: { status: 503, legacyCode: 14013 },
  [ErrorCode.Internal]: { status: 500, legacyCode: 14000 },
};

/** The schemes a caller may answer a 401 with: account name and password, or an access token. */
export const AUTHENTICATE_CHALLENGES = ['Basic realm="berth", charset="UTF-8"', 'Bearer realm="berth"'];

/** A failed request as every adapter answers it: the body's shape is the adapter's, the rest is decided here. */
export interface ErrorAnswer {
  code: ErrorCode;
  status: number;
  legacyCode: number;
  message: string;
  headers: Record<string, string | string[]>;
}

/** How an entry point words the failures that are not Berth's own errors. */
export interface ErrorWording {
  /** For a 500. */
  internal?: string;
  /** Put before the reason a request could not be read (malformed JSON, say). */
  malformed?: string;
  unsupportedMediaType?: string;
}

/**
 * Any thrown value as an HTTP answer: a Berth error by its code; an HTTP
 * framework error (body too large, unreadable body, unsupported type) by its
 * status; anything else is internal, and its message (which may quote SQL)
 * is not shown.
 */
export function answerOf(error: unknown, wording: ErrorWording = {}): ErrorAnswer {
  if (error instanceof BerthError) return answer(error.code, error.message, error.retryAfterSeconds);
  const cause = databaseCause(error);
  if (cause === '57014') return answer(ErrorCode.StatementTimeout, 'a database statement ran past the statement timeout; try again, or ask for less', 1);
  if (cause && UNAVAILABLE.test(cause)) return answer(ErrorCode.DatabaseUnavailable, 'the database is unavailable; try again shortly', 1);
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 413) return answer(ErrorCode.PayloadTooLarge, 'request body is too large');
  if (status === 415) return answer(ErrorCode.UnsupportedMediaType, wording.unsupportedMediaType ?? message);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return answer(ErrorCode.BadUserInput, wording.malformed ? `${wording.malformed}: ${message}` : message);
  }
  return answer(ErrorCode.Internal, wording.internal ?? 'internal server error');
}

/**
 * The database's side of a failure: the code of the driver's error, which
 * drizzle keeps as the cause. 57014 is query_canceled (statement_timeout).
 */
function databaseCause(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * The database is gone for now: a connection refused, reset or timed out
 * (Node's and postgres.js's codes), class 08 (connection exception), or the
 * server shutting down, crashed or starting (57P01-57P03).
 */
const UNAVAILABLE = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|CONNECT_TIMEOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|08...|57P0[123])$/;

/** As `answerOf`, logging an internal failure with its cause, which the answer leaves out. */
export function answerOfRequest(error: unknown, request: { log: { error(details: object, message: string): void } }, wording?: ErrorWording): ErrorAnswer {
  const answer = answerOf(error, wording);
  if (answer.code === ErrorCode.Internal) request.log.error({ err: error }, 'request failed');
  return answer;
}

function answer(code: ErrorCode, message: string, retryAfterSeconds?: number): ErrorAnswer {
  const headers: ErrorAnswer['headers'] = {};
  if (code === ErrorCode.Unauthenticated) headers['www-authenticate'] = AUTHENTICATE_CHALLENGES;
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return { code, ...HTTP[code], message, headers };
}

/** Lets the compiler prove a switch covers every case. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`unreachable case: ${JSON.stringify(value)}`);
  }
}
