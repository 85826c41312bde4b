/** A `WWW-Authenticate` challenge: the scheme and its parameters (`realm`, `service`, `scope`, `error`). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (quoted or bare values, commas inside quotes kept). */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return null;
  const params: Record<string, string> = {};
  const pattern = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
  for (const [, key, quoted, bare] of match[2].matchAll(pattern)) {
    params[key.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
  }
  return { scheme: match[1].toLowerCase(), params };
}

export interface Credentials {
  username: string;
  password: string;
}

export const basicAuthorization = ({ username, password }: Credentials) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The realm's answer; Distribution's token spec allows either name for the token. */
interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
}

export interface TokenRequest {
  realm: string;
  service?: string;
  /** Space-separated scopes, as the challenge gives them; each goes out as its own `scope=` parameter. */
  scope?: string;
  credentials?: Credentials;
}

/** The URL a client asks the realm for a token, the way docker and skopeo do (GET, repeated `scope=`). */
export function tokenUrl({ realm, service, scope, credentials }: TokenRequest): URL {
  const url = new URL(realm);
  if (credentials) url.searchParams.set('account', credentials.username);
  if (service) url.searchParams.set('service', service);
  for (const one of scope?.split(' ').filter(Boolean) ?? []) url.searchParams.append('scope', one);
  return url;
}

export function readToken(body: unknown): { token: string; expiresIn: number } | null {
  const response = body as TokenResponse | null;
  const token = response?.token || response?.access_token;
  if (typeof token !== 'string' || !token) return null;
  // The token spec's default lifetime is 60 seconds.
  const expiresIn = typeof response?.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : 60;
  return { token, expiresIn };
}
