import type { FastifyRequest } from 'fastify';
import { forbidden } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser may send cached Basic credentials with a form posted from any
 * site, and legacy routes read any body as JSON; so a write that a browser
 * marks as coming from another site (Origin, Sec-Fetch-Site) is refused
 * unless that site is a configured CORS origin. curl and scripts send
 * neither header and are unaffected.
 */
export function refuseCrossSiteWrites(allowedOrigins: readonly string[]) {
  return async (request: FastifyRequest) => {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (!origin || allowedOrigins.includes(origin)) return;
    const site = request.headers['sec-fetch-site'];
    const sameOrigin = site ? site === 'same-origin' || site === 'none' : hostOf(origin) === request.headers.host;
    if (!sameOrigin) throw forbidden(`a page on ${origin} may not change anything here; list it in BERTH_CORS_ORIGINS to allow it`);
  };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
