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
  TooManyRequests = 'TOO_MANY_REQUESTS',
  UpstreamFailure = 'UPSTREAM_FAILURE',
}

export class BerthError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For TOO_MANY_REQUESTS: when the caller may try again. */
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
export const upstreamFailure = (message: string) => new BerthError(ErrorCode.UpstreamFailure, message);

/** Lets the compiler prove a switch covers every case. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`unreachable case: ${JSON.stringify(value)}`);
  }
}
