import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { basicAuthorization, parseChallenge, readToken, tokenUrl, type Challenge, type Credentials } from './auth';
import { MANIFEST_ACCEPT } from './media-types';

export interface RegistryClientOptions {
  /** Base URL of the registry, e.g. http://127.0.0.1:5000 (the /v2/ API is under it). */
  url: string;
  credentials?: Credentials;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Per operation (a manifest read, a delete, a tag listing, a catalog page), whatever its retries. */
  deadlineMs?: number;
  /** Further attempts after a network error, a timeout, a 429 or a 5xx. */
  retries?: number;
  /** First pause between attempts; doubles each time. */
  retryDelayMs?: number;
  /** Largest manifest or config body accepted. */
  maxBodyBytes?: number;
  userAgent?: string;
  /** Tokens minted in process for a registry whose challenge names this `service` (Berth as its token service). */
  ownTokens?: OwnTokens;
}

export interface OwnTokens {
  service: string;
  mint(scope: string): Promise<{ token: string; expiresIn: number }>;
}

/**
 * Berth's own requests are recognised by this User-Agent when the registry
 * reports them back as pull events, so that syncing and fetching never count
 * as pulls.
 */
export const BERTH_USER_AGENT = 'berth-registry-client/1.0';

/** What a caller is told to wait after the registry failed: long enough for a restart, short for a hiccup. */
const RETRY_AFTER_SECONDS = 5;

/** How a registry operation ended: answered, refused (an error status), unreachable, past its deadline, or aborted as Berth stops. */
export type RegistryOutcome = 'ok' | 'refused' | 'unreachable' | 'deadline' | 'aborted';

/** A registry call that failed; the message names the registry, the request and the cause. */
export class RegistryError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null when the registry could not be reached. */
    readonly status: number | null,
    /** The registry's error code, e.g. MANIFEST_UNKNOWN, when it sent one. */
    readonly code: string | null = null,
    /** Set when the operation was cut short rather than failed. */
    readonly cutShort?: 'deadline' | 'aborted',
  ) {
    super(message);
    this.name = 'RegistryError';
  }

  /** The registry says the manifest, blob or repository does not exist. */
  get isUnknown(): boolean {
    return this.status === 404;
  }

  get outcome(): RegistryOutcome {
    return this.cutShort ?? (this.status === null ? 'unreachable' : 'refused');
  }

  /** When to try again, for a registry out of reach, busy or failing; undefined when it refused. */
  get retryAfterSeconds(): number | undefined {
    return this.status === null || this.status === 429 || this.status >= 500 ? RETRY_AFTER_SECONDS : undefined;
  }
}

/** One finished registry operation, as observers (metrics, the log, /readyz) see it. */
export interface RegistryCall {
  operation: string;
  outcome: RegistryOutcome;
  error?: RegistryError;
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  body: Buffer;
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

interface Reply {
  /** How many attempts it took; more than one means the earlier ones failed. */
  attempts: number;
  status: number;
  headers: Headers;
  body: Buffer;
  url: URL;
}

interface RequestOptions {
  /** The operation's: its deadline, or Berth stopping. */
  signal: AbortSignal;
  accept?: string;
  /** Read at most this many bytes of body; more is an error. */
  maxBytes?: number;
}

export const sha256 = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;
const isRetryable = (status: number) => status === 429 || status >= 500;

/**
 * The Docker Registry HTTP API v2 as Berth needs it: catalog and tag lists
 * (following `Link` pagination), manifests and config blobs (digest
 * verified), and manifest deletes. Every attempt has a timeout, retries are
 * bounded, and each operation has a deadline over all its attempts; `close`
 * aborts every operation in flight. A Bearer challenge is answered from the
 * realm it names, Basic with the configured credentials.
 */
export class RegistryClient {
  readonly base: URL;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly maxBodyBytes: number;
  private readonly userAgent: string;
  /** Bearer tokens by the scope they were granted for, with their expiry. */
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  /** The scope the registry last asked for per method and repository, so later calls send a token up front. */
  private readonly scopes = new Map<string, string>();
  private readonly closing = new AbortController();
  private readonly observers: ((call: RegistryCall) => void)[] = [];

  constructor(private readonly options: RegistryClientOptions) {
    this.base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.deadlineMs = options.deadlineMs ?? 15_000;
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.userAgent = options.userAgent ?? BERTH_USER_AGENT;
  }

  /** Repository names, page by page, following the registry's `Link: <…>; rel="next"`. */
  async *catalog(pageSize = 100): AsyncGenerator<string[]> {
    let next: string | null = `v2/_catalog?n=${pageSize}`;
    for (let page = 0; next && page < 100_000; page++) {
      const path: string = next;
      const reply = await this.operation('catalog', (signal) => this.expectOk('GET', path, { signal }));
      yield this.json<{ repositories?: string[] }>(reply).repositories ?? [];
      next = nextLink(reply.headers.get('link'));
    }
  }

  /** Calls `listener` after each operation, with how it ended. */
  observe(listener: (call: RegistryCall) => void): void {
    this.observers.push(listener);
  }

  /** Aborts every operation in flight, and any started later: Berth is stopping. */
  close(): void {
    this.closing.abort();
  }

  /** Every tag of a repository; a repository the registry does not know has none. */
  tags(repository: string): Promise<string[]> {
    return this.operation('tags', async (signal) => {
      const all: string[] = [];
      let next: string | null = `v2/${repository}/tags/list`;
      for (let page = 0; next && page < 100_000; page++) {
        const reply = await this.send('GET', next, { signal });
        if (reply.status === 404) return [];
        this.assertOk('GET', reply);
        all.push(...(this.json<{ tags?: string[] | null }>(reply).tags ?? []));
        next = nextLink(reply.headers.get('link'));
      }
      return all;
    });
  }

  /** The digest and media type a tag or digest names, or null when the registry has no such manifest. */
  async headManifest(repository: string, reference: string): Promise<ManifestHead | null> {
    const reply = await this.operation('head_manifest', (signal) => this.send('HEAD', `v2/${repository}/manifests/${reference}`, { signal, accept: MANIFEST_ACCEPT }));
    if (reply.status === 404) return null;
    this.assertOk('HEAD', reply);
    const digest = reply.headers.get('docker-content-digest');
    if (!digest) throw new RegistryError(`${this.describe('HEAD', reply.url)} answered without Docker-Content-Digest`, reply.status);
    return { digest, mediaType: mediaTypeOf(reply.headers), size: Number(reply.headers.get('content-length') ?? 0) };
  }

  /**
   * A manifest exactly as pushed: the Accept header covers OCI manifest and
   * index and Docker schema 2 and manifest list, so the registry never
   * converts it, and the body must hash to the digest asked for (or, by tag,
   * to the Docker-Content-Digest the registry sent).
   */
  async manifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const path = `v2/${repository}/manifests/${reference}`;
    const reply = await this.operation('manifest', (deadline) => this.expectOk('GET', path, { signal: deadline, accept: MANIFEST_ACCEPT, maxBytes: this.maxBodyBytes }), signal);
    const mediaType = mediaTypeOf(reply.headers);
    if (mediaType.startsWith('application/vnd.docker.distribution.manifest.v1')) {
      throw new RegistryError(`${this.describe('GET', reply.url)} is a schema 1 manifest, which Berth does not read`, reply.status);
    }
    const digest = sha256(reply.body);
    const expected = reference.includes(':') ? reference : reply.headers.get('docker-content-digest');
    if (expected && expected !== digest) {
      throw new RegistryError(`${this.describe('GET', reply.url)}: body hashes to ${digest}, expected ${expected}`, reply.status);
    }
    return { digest, mediaType, body: reply.body };
  }

  /** A blob (an image config), verified against its digest. */
  async blob(repository: string, digest: string, signal?: AbortSignal): Promise<Buffer> {
    const reply = await this.operation('blob', (deadline) => this.expectOk('GET', `v2/${repository}/blobs/${digest}`, { signal: deadline, maxBytes: this.maxBodyBytes }), signal);
    const actual = sha256(reply.body);
    if (actual !== digest) throw new RegistryError(`${this.describe('GET', reply.url)}: body hashes to ${actual}`, reply.status);
    return reply.body;
  }

  /** Deletes a manifest by digest (Distribution cannot delete by tag); false when the registry no longer had it. */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const reply = await this.operation('delete_manifest', (signal) => this.send('DELETE', `v2/${repository}/manifests/${digest}`, { signal }));
    if (reply.status === 404) return false;
    this.assertOk('DELETE', reply);
    return true;
  }

  /**
   * Runs one operation under its deadline (and `signal`, and `close`), and
   * tells the observers how it ended. An answer the caller then finds wrong
   * (a digest mismatch, say) still counts as answered.
   */
  private async operation<T>(name: string, run: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const combined = AbortSignal.any([deadline, this.closing.signal, ...(signal ? [signal] : [])]);
    try {
      const result = await run(combined);
      this.tell({ operation: name, outcome: 'ok' });
      return result;
    } catch (error) {
      const failure = combined.aborted
        ? deadline.aborted
          ? new RegistryError(`registry ${this.base.origin}: ${name} got no answer within its ${this.deadlineMs} ms deadline`, null, null, 'deadline')
          : new RegistryError(`registry ${this.base.origin}: ${name} aborted: Berth is stopping`, null, null, 'aborted')
        : error;
      if (failure instanceof RegistryError) this.tell({ operation: name, outcome: failure.outcome, error: failure });
      throw failure;
    }
  }

  private tell(call: RegistryCall): void {
    for (const observer of this.observers) observer(call);
  }

  private async expectOk(method: string, path: string, options: RequestOptions): Promise<Reply> {
    const reply = await this.send(method, path, options);
    this.assertOk(method, reply);
    return reply;
  }

  private assertOk(method: string, reply: Reply): void {
    if (reply.status >= 200 && reply.status < 300) return;
    const error = registryErrorOf(reply.body);
    const detail = error ? `${error.code}: ${error.message}` : reply.body.toString('utf8').slice(0, 200).trim();
    const attempts = reply.attempts > 1 ? ` (after ${reply.attempts} attempts)` : '';
    throw new RegistryError(`${this.describe(method, reply.url)} answered ${reply.status}${detail ? ` (${detail})` : ''}${attempts}`, reply.status, error?.code ?? null);
  }

  private describe(method: string, url: URL): string {
    return `registry ${this.base.origin}: ${method} ${url.pathname}`;
  }

  private json<T>(reply: Reply): T {
    try {
      return JSON.parse(reply.body.toString('utf8')) as T;
    } catch {
      throw new RegistryError(`${this.describe('GET', reply.url)} answered with a body that is not JSON`, reply.status);
    }
  }

  /**
   * One request with retries. A 401 with a challenge is answered once per
   * attempt (token from the realm, or Basic credentials) and does not use up
   * a retry.
   */
  private async send(method: string, path: string, options: RequestOptions): Promise<Reply> {
    const url = new URL(path, this.base);
    const scopeKey = `${method} ${repositoryOf(url.pathname)}`;
    let lastError: RegistryError | null = null;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await sleep(this.retryDelayMs * 2 ** (attempt - 1), undefined, { signal: options.signal });
      try {
        let reply = await this.attempt(method, url, options, this.cachedAuthorization(scopeKey));
        if (reply.status === 401) {
          const authorization = await this.answer(parseChallenge(reply.headers.get('www-authenticate')), scopeKey, options.signal);
          if (authorization) reply = await this.attempt(method, url, options, authorization);
        }
        if (!isRetryable(reply.status) || attempt === this.retries) return { ...reply, attempts: attempt + 1 };
        lastError = new RegistryError(`${this.describe(method, url)} answered ${reply.status}`, reply.status);
      } catch (error) {
        if (options.signal.aborted || (error instanceof RegistryError && error.status !== null)) throw error;
        lastError = error instanceof RegistryError ? error : new RegistryError(`${this.describe(method, url)} failed: ${causeOf(error, this.timeoutMs)}`, null);
      }
    }
    throw new RegistryError(`${lastError!.message} (after ${this.retries + 1} attempts)`, lastError!.status, lastError!.code);
  }

  private async attempt(method: string, url: URL, options: RequestOptions, authorization: string | undefined): Promise<Reply> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (options.accept) headers.accept = options.accept;
    if (authorization) headers.authorization = authorization;
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), options.signal]);
    const response = await fetch(url, { method, headers, signal, redirect: 'follow' });
    const body = method === 'HEAD' ? Buffer.alloc(0) : await readBody(response, options.maxBytes ?? this.maxBodyBytes, () => this.describe(method, url));
    return { attempts: 1, status: response.status, headers: response.headers, body, url };
  }

  private cachedAuthorization(scopeKey: string): string | undefined {
    const scope = this.scopes.get(scopeKey);
    if (scope === undefined) return undefined;
    if (scope === BASIC) return this.options.credentials && basicAuthorization(this.options.credentials);
    const cached = this.tokens.get(scope);
    return cached && cached.expiresAt > Date.now() ? `Bearer ${cached.token}` : undefined;
  }

  /** The Authorization that answers a challenge, or undefined when Berth has nothing to answer it with. */
  private async answer(challenge: Challenge | null, scopeKey: string, signal: AbortSignal): Promise<string | undefined> {
    if (challenge?.scheme === 'basic') {
      if (!this.options.credentials) return undefined;
      this.scopes.set(scopeKey, BASIC);
      return basicAuthorization(this.options.credentials);
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) return undefined;
    const { realm, service, scope = '' } = challenge.params;
    const own = this.options.ownTokens;
    const token = own && service === own.service ? await own.mint(scope) : await this.fetchToken(realm, service, scope, signal);
    // Renew a little early so a token never expires in flight.
    this.tokens.set(scope, { token: token.token, expiresAt: Date.now() + Math.max(token.expiresIn - 10, 1) * 1000 });
    this.scopes.set(scopeKey, scope);
    return `Bearer ${token.token}`;
  }

  /** A token from the realm a challenge names, asked with the configured credentials. */
  private async fetchToken(realm: string, service: string | undefined, scope: string, signal: AbortSignal): Promise<{ token: string; expiresIn: number }> {
    const url = tokenUrl({ realm, service, scope, credentials: this.options.credentials });
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (this.options.credentials) headers.authorization = basicAuthorization(this.options.credentials);
    let response: Response;
    let body: Buffer;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), signal]) });
      body = await readBody(response, 1024 * 1024, () => `token service ${url.origin}`);
    } catch (error) {
      throw new RegistryError(`registry token service ${url.origin}${url.pathname} failed: ${causeOf(error, this.timeoutMs)}`, null);
    }
    if (response.status !== 200) {
      const why = response.status === 401 ? 'refused the credentials in REGISTRY_USERNAME / REGISTRY_PASSWORD' : `answered ${response.status}`;
      throw new RegistryError(`registry token service ${url.origin}${url.pathname} ${why}`, response.status === 401 ? 401 : 502);
    }
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      // reported below as a missing token
    }
    const token = readToken(parsed);
    if (!token) throw new RegistryError(`registry token service ${url.origin}${url.pathname} answered without a token`, 502);
    return token;
  }
}

const BASIC = '\0basic';

/** The repository a /v2/ path is about (its scope), or the path itself for catalog and base. */
function repositoryOf(pathname: string): string {
  const match = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(pathname);
  return match ? match[1] : pathname;
}

function mediaTypeOf(headers: Headers): string {
  return (headers.get('content-type') ?? '').split(';')[0].trim();
}

/** The target of `Link: <url>; rel="next"`, relative to the registry. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && /rel="?next"?/.test(match[2])) return match[1].replace(/^\//, '');
  }
  return null;
}

function registryErrorOf(body: Buffer): { code: string; message: string } | null {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    const [first] = parsed.errors ?? [];
    return first?.code ? { code: first.code, message: first.message ?? '' } : null;
  } catch {
    return null;
  }
}

async function readBody(response: Response, maxBytes: number, describe: () => string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new RegistryError(`${describe()}: body of ${declared} bytes is over the ${maxBytes} byte limit`, response.status);
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > maxBytes) throw new RegistryError(`${describe()}: body is over the ${maxBytes} byte limit`, response.status);
  return body;
}

/** Why a request got no answer. Errors from fetch may come from another realm (test sandboxes), so no instanceof. */
function causeOf(error: unknown, timeoutMs: number): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } } | null;
  if (failure?.name === 'TimeoutError' || failure?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = failure?.cause ?? failure;
  const message = cause?.message ?? String(error);
  const code = (cause as { code?: string } | null)?.code;
  return code && !message.includes(code) ? `${code} ${message}` : message;
}
