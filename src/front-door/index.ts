import type { FastifyInstance } from 'fastify';
import { FAVICON } from './favicon';
import { FRONT_DOOR_PAGE } from './page';

/** The page may show itself, its inline style and the icon, and load nothing else. */
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * `GET /` answers a page rather than a redirect to /graphql: the same port
 * serves the legacy REST API and the health checks too, and whoever opens it
 * should learn about all of them. `GET /favicon.ico` spares the browser a 404.
 */
export function frontDoorRoutes(http: FastifyInstance): void {
  http.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_POLICY).send(FRONT_DOOR_PAGE));
  http.get('/favicon.ico', (_request, reply) => reply.type('image/x-icon').header('cache-control', 'public, max-age=86400').send(FAVICON));
}
