import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Ids a caller may choose: printable, short, no spaces, so they are safe in logs and headers. */
const ACCEPTABLE = /^[\w.:@+/=-]{1,128}$/;

/**
 * The request's id: the caller's `x-request-id` when it has one (so a proxy's
 * id follows the request through), otherwise a fresh UUID. Fastify logs it
 * with every line, and Berth echoes it in the response's `x-request-id`.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
}
