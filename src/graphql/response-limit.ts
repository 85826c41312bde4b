import type { FastifyInstance } from 'fastify';
import { queryTooComplex } from './limits';

/**
 * Refuses a GraphQL answer larger than `maxBytes`. The cost limit bounds how
 * many fields an answer holds, not how long each is (a manifest's history can
 * run to kilobytes per image), so this is the backstop: the caller gets
 * QUERY_TOO_COMPLEX naming the size, and asks for a smaller page.
 */
export function boundResponses(scope: FastifyInstance, maxBytes: number): void {
  scope.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload !== 'string' || !String(reply.getHeader('content-type')).includes('json')) return payload;
    const bytes = Buffer.byteLength(payload);
    if (bytes <= maxBytes) return payload;
    const { message, extensions } = queryTooComplex('responseBytes', bytes, maxBytes);
    reply.code(400);
    return JSON.stringify({ errors: [{ message, extensions: { ...extensions, http: undefined } }] });
  });
}
