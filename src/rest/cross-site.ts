import type { FastifyRequest } from 'fastify';
import { isLoopback } from '../config';
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

/** The token service's route: a GET, but it issues credentials, so it counts as a change. */
const TOKEN_ROUTE = '/registry/v1/token';

/** A Host header's name without its port; IPv6 addresses lose their brackets. */
function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  return (bracketed ? bracketed[1] : host.replace(/:\d+$/, '')).toLowerCase();
}

/**
 * DNS rebinding: a page on evil.example whose name starts resolving to the
 * machine Berth runs on reaches it as its own origin, so Origin checks pass.
 * Its requests still name evil.example in Host, so every change (any
 * method but GET, HEAD and OPTIONS, and token issuing) must name Berth's
 * configured URL or a loopback name; anything else is refused before it runs.
 */
export function refuseForeignHosts(publicUrl: string | undefined) {
  const own = publicUrl ? new URL(publicUrl).host.toLowerCase() : undefined;
  return async (request: FastifyRequest) => {
    if (SAFE_METHODS.has(request.method) && request.routeOptions.url !== TOKEN_ROUTE) return;
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || host === own || isLoopback(hostnameOf(host))) return;
    throw forbidden(`this Berth takes changes only at ${own ?? 'a loopback address'}, not at Host ${host.slice(0, 200)}; set BERTH_URL to the address clients use`);
  };
}
