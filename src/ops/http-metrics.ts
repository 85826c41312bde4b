import type { FastifyInstance } from 'fastify';
import { httpRequestDuration, httpRequests, registry } from './metrics';

/**
 * Echoes the request id, counts and times every response by route template
 * (never the raw URL, which would make one series per repository), and
 * serves GET /metrics for Prometheus.
 */
export function observeHttp(http: FastifyInstance): void {
  http.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  http.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
  http.get('/metrics', async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
