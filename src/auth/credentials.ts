import { createHash, randomBytes } from 'node:crypto';
import { unauthenticated } from '../errors';

/** What an `Authorization` header carries. */
export type Credentials = { scheme: 'basic'; name: string; password: string } | { scheme: 'bearer'; token: string };

/**
 * Access tokens start with a fixed prefix so secret scanners can spot a
 * leaked one, and so Basic auth can tell a token from a password.
 */
export const TOKEN_PREFIX = 'berth_';

/** A new access token secret: 256 random bits. */
export const generateTokenSecret = () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

/** Tokens are stored as SHA-256: a random 256-bit secret needs no slow hash, and lookup stays one index probe. */
export const hashTokenSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const isTokenSecret = (value: string) => value.startsWith(TOKEN_PREFIX);

/** Parses an `Authorization` header; no header means an anonymous caller. Messages never echo the credentials. */
export function parseAuthorization(header: string | undefined): Credentials | null {
  if (!header) return null;
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') {
    if (!value) throw unauthenticated('empty Bearer token');
    return { scheme: 'bearer', token: value };
  }
  if (scheme !== 'basic') throw unauthenticated('unsupported Authorization scheme; use Basic or Bearer');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!value || colon < 0) throw unauthenticated('malformed Basic credentials');
  return { scheme: 'basic', name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
