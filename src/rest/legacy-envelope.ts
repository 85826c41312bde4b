import type { FastifyReply } from 'fastify';
import { ErrorCode, UnreachableCaseError } from '../errors';

/** The legacy success envelope: `code` is always the number 0. */
export const ok = <T>(data: T) => ({ code: 0, data });

interface LegacyError {
  status: number;
  code: number;
}

/** Berth's error codes as the legacy server's HTTP statuses and 140xx error numbers. */
export function legacyError(code: ErrorCode | 'INTERNAL'): LegacyError {
  switch (code) {
    case ErrorCode.BadUserInput:
      return { status: 400, code: 14001 };
    case ErrorCode.Unauthenticated:
      return { status: 401, code: 14009 };
    case ErrorCode.Forbidden:
      return { status: 403, code: 14003 };
    case ErrorCode.NotFound:
      return { status: 404, code: 14004 };
    case ErrorCode.Conflict:
      return { status: 409, code: 14006 };
    case ErrorCode.TooManyRequests:
      return { status: 429, code: 14010 };
    case ErrorCode.UpstreamFailure:
      return { status: 503, code: 14013 };
    case 'INTERNAL':
      return { status: 500, code: 14000 };
    default:
      throw new UnreachableCaseError(code);
  }
}

/** The schemes a caller may answer a 401 with: account name and password, or an access token. */
export const AUTHENTICATE_CHALLENGES = ['Basic realm="berth", charset="UTF-8"', 'Bearer realm="berth"'];

export function sendError(reply: FastifyReply, code: ErrorCode | 'INTERNAL', message: string, retryAfterSeconds?: number) {
  const { status, code: number } = legacyError(code);
  if (status === 401) reply.header('WWW-Authenticate', AUTHENTICATE_CHALLENGES);
  if (retryAfterSeconds !== undefined) reply.header('Retry-After', String(retryAfterSeconds));
  return reply.code(status).send({ code: number, data: null, message });
}
