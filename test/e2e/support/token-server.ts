import { execFile } from 'node:child_process';
import { createPrivateKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TokenAuth } from './registry';

const run = promisify(execFile);

/** One request the realm answered: the account named (null: anonymous), the scopes asked, and 200 or 401. */
export interface TokenGrant {
  account: string | null;
  scopes: string[];
  status: number;
}

export interface TokenServer {
  /** The registry's `auth.token` settings that trust this server. */
  auth: TokenAuth;
  /** Every token request so far, in order. */
  grants: TokenGrant[];
  /** `Bearer <token>` for these scopes, minted directly (the test's own view of the registry). */
  bearer(account: string, scopes: string[]): string;
  stop(): Promise<void>;
}

/**
 * A token realm for Distribution's `auth.token`, built to TOKEN.md: RS256 JWTs
 * whose `x5c` header carries a self-signed certificate that is also the
 * registry's rootcertbundle, `aud` a string, `exp` whole seconds. Known
 * accounts get every action they ask for; anonymous callers get a token with
 * no access (so the registry answers 401), a wrong password a 401 here.
 */
export async function startTokenServer(accounts: Record<string, string>): Promise<TokenServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-token-'));
  const keyFile = path.join(dir, 'token.key');
  const certFile = path.join(dir, 'token.crt');
  const issuer = 'berth-e2e-issuer';
  const service = 'berth-e2e-registry';
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1', '-subj', `/CN=${issuer}`, '-keyout', keyFile, '-out', certFile]);
  const key = createPrivateKey(await readFile(keyFile));
  const certificate = new X509Certificate(await readFile(certFile)).raw.toString('base64');
  const grants: TokenGrant[] = [];

  const mint = (account: string | null, scopes: string[]) => jwt(key, certificate, { issuer, service, account, access: scopes.map(access) });

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://realm');
    const scopes = url.searchParams.getAll('scope');
    const { name, verified } = basicAccount(request.headers.authorization, accounts);
    const status = verified ? 200 : 401;
    grants.push({ account: name, scopes, status });
    response.writeHead(status, { 'content-type': 'application/json' });
    if (!verified) {
      response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
      return;
    }
    const token = mint(name, name === null ? [] : scopes);
    response.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    auth: { realm: `http://127.0.0.1:${port}/token`, service, issuer, rootcertbundle: certFile },
    grants,
    bearer: (account, scopes) => `Bearer ${mint(account, scopes)}`,
    async stop() {
      server.closeAllConnections();
      server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The account a Basic header names (null: none sent), and whether its password is right (anonymous is fine). */
function basicAccount(header: string | undefined, accounts: Record<string, string>): { name: string | null; verified: boolean } {
  if (!header) return { name: null, verified: true };
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = colon > 0 ? decoded.slice(0, colon) : decoded;
  return { name, verified: colon > 0 && /^Basic\s/i.test(header) && accounts[name] === decoded.slice(colon + 1) };
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** `repository:alice/app:pull,push` or `registry:catalog:*` as a JWT access entry. */
function access(scope: string): Access {
  const [type, ...rest] = scope.split(':');
  const actions = rest.pop() ?? '';
  return { type, name: rest.join(':'), actions: actions.split(',').filter(Boolean) };
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

function jwt(
  key: KeyObject,
  certificate: string,
  { issuer, service, account, access }: { issuer: string; service: string; account: string | null; access: Access[] },
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certificate] };
  const claims = {
    iss: issuer,
    sub: account ?? '',
    aud: service,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomBytes(8).toString('hex'),
    access,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), key))}`;
}
