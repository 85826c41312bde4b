import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A stand-in for Docker Distribution 2.8.2 on 127.0.0.1:0 that answers with
 * the responses captured from the real registry (test/fixtures/registry/
 * responses): the same status lines, headers and body bytes. Requests the
 * capture did not cover are answered from a small model of the registry's
 * state (repositories → tags → digests) built from the same capture, with
 * the captured headers of the digest and the captured error bodies.
 */
export const FIXTURES = path.resolve(__dirname, '../fixtures/registry');
const RESPONSES = path.join(FIXTURES, 'responses');

interface Captured {
  method: string;
  path: string;
  accept: string | null;
  status: number;
  headers: [string, string][];
  body: Buffer;
}

function loadCaptured(phase: string): Captured[] {
  const dir = path.join(RESPONSES, phase);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.http'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const [requestPart, responsePart] = text.split(/\r?\n\r?\n(?=HTTP\/1\.1)/);
      const [requestLine, ...requestHeaders] = requestPart.split(/\r?\n/);
      const [method, target] = requestLine.split(' ');
      const accept = requestHeaders.find((h) => /^accept:/i.test(h))?.replace(/^accept:\s*/i, '') ?? null;
      const [head] = responsePart.split(/\r?\n\r?\n/);
      const [statusLine, ...headerLines] = head.split(/\r?\n/);
      const headers = headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).trim()] as [string, string];
      });
      const bodyFile = path.join(dir, file.replace(/\.http$/, '.body'));
      let body = Buffer.alloc(0);
      try {
        body = readFileSync(bodyFile);
      } catch {
        // HEAD and 202 answers have no body file
      }
      return { method, path: target, accept, status: Number(statusLine.split(' ')[1]), headers, body };
    });
}

export const captured = { read: loadCaptured('read'), delete: loadCaptured('delete'), afterDelete: loadCaptured('after-delete') };

const find = (list: Captured[], method: string, target: string, status?: number) =>
  list.find((c) => c.method === method && c.path === target && (status === undefined || c.status === status))!;

/** The Accept Berth sends; the captures with this header are what Berth sees. */
export const ALL_FOUR = captured.read.find((c) => c.path === '/v2/library/hello/manifests/1.0' && c.method === 'GET' && c.accept?.includes(','))!.accept!;

/** A captured manifest answer (headers and body) by digest. */
function manifestAnswers(): Map<string, Captured> {
  const byDigest = new Map<string, Captured>();
  for (const c of captured.read) {
    const digest = c.headers.find(([k]) => k === 'Docker-Content-Digest')?.[1];
    if (c.method === 'GET' && c.status === 200 && c.path.includes('/manifests/sha256:') && c.accept === ALL_FOUR && digest) byDigest.set(digest, c);
  }
  return byDigest;
}

const digestsByTag = JSON.parse(readFileSync(path.join(RESPONSES, 'read/digests-by-tag.json'), 'utf8')) as Record<string, string>;
export const DIGEST = {
  ociManifest: digestsByTag['1.0'],
  schema2: digestsByTag['1.0-v2s2'],
  ociIndex: digestsByTag.multi,
  dockerList: digestsByTag['multi-v2s2'],
  /** The arm64 children, pushed by digest and never fetched in the capture. */
  ociArm64: 'sha256:c8205ceb01b98886ef5c9accd6d9908a8c2c86699514c1a76c1e1db6ad9470d3',
  schema2Arm64: 'sha256:9b9437d0683930672ab989f7a06574b253066e10261161d350ffafc29b5e5ec3',
  /** alice/app:stable after the tag moved; its body was not captured. */
  aliceStable: 'sha256:619d8825e99d4d882dfd88e2e758173ad7465283c1b79b1408f79cfe5e49339d',
  config: 'sha256:679e2667b0d50965bed8ba4c3de2845cd9efb62ad1c1ee8e437da92de0cda89d',
  layer: 'sha256:b1a60be2bfdf98daffcce7ccf12644e3520aff8d0ea58989f3a2565a751f3564',
};

/** The registry's content just before the capture's delete phase, in the tag order its tags/list gave. */
function initialState(): Map<string, { tags: Map<string, string>; untagged: Set<string> }> {
  const libraryTags = JSON.parse(find(captured.read, 'GET', '/v2/library/hello/tags/list').body.toString()).tags as string[];
  const library = new Map(libraryTags.map((t) => [t, t === 'latest' ? DIGEST.ociManifest : digestsByTag[t]]));
  const aliceTags = JSON.parse(find(captured.read, 'GET', '/v2/alice/app/tags/list').body.toString()).tags as string[];
  const alice = new Map(aliceTags.map((t) => [t, { '1.0': DIGEST.ociManifest, '2.0': DIGEST.schema2, stable: DIGEST.aliceStable }[t]!]));
  return new Map([
    ['alice/app', { tags: alice, untagged: new Set<string>() }],
    ['bob/tmp', { tags: new Map([['only', DIGEST.ociManifest]]), untagged: new Set<string>() }],
    ['library/hello', { tags: library, untagged: new Set([DIGEST.ociArm64, DIGEST.schema2Arm64]) }],
  ]);
}

export interface RecordedRequest {
  method: string;
  path: string;
  accept?: string;
  authorization?: string;
  userAgent?: string;
}

/** An answer a test forces for matching requests (failures, slowness), used `times` times. */
export interface Injection {
  method?: string;
  path?: RegExp;
  times: number;
  status?: number;
  /** Never answer (to test timeouts). */
  hang?: boolean;
  body?: string;
  contentType?: string;
  /** Runs before the normal answer (which then follows): something that happens while the request is in flight. */
  meanwhile?: () => Promise<unknown>;
}

export interface TokenAuth {
  username: string;
  password: string;
}

export interface ReplayRegistry {
  url: string;
  requests: RecordedRequest[];
  tokenRequests: string[];
  /** Forces answers for the next matching requests. */
  inject(injection: Injection): void;
  /**
   * Adds an image the capture does not have (its config blob included, since
   * the captured config body is damaged) and tags it; returns its digests.
   */
  addImage(repository: string, tag: string, config: object, layers: { mediaType: string; digest: string; size: number }[]): { digest: string; config: { digest: string; size: number } };
  /** Deletes a manifest as the registry would (tags on it go), without going through HTTP. */
  deleteManifest(repository: string, digest: string): void;
  close(): Promise<void>;
}

export async function startReplayRegistry(options: { token?: TokenAuth } = {}): Promise<ReplayRegistry> {
  const state = initialState();
  const answers = manifestAnswers();
  const requests: RecordedRequest[] = [];
  const tokenRequests: string[] = [];
  const injections: Injection[] = [];
  const issued = new Map<string, Set<string>>();
  const blobs = new Map<string, Buffer>();
  const hung: ServerResponse[] = [];
  let base = '';

  const send = (res: ServerResponse, status: number, headers: [string, string][], body: Buffer, head = false) => {
    res.writeHead(status, Object.fromEntries(headers.filter(([k]) => k.toLowerCase() !== 'content-length')));
    res.end(head ? undefined : body);
  };
  const replay = (res: ServerResponse, c: Captured, head = false) => send(res, c.status, c.headers, c.body, head);
  const unknownManifest = (res: ServerResponse, head: boolean) => replay(res, find(captured.read, 'GET', '/v2/library/hello/manifests/nope'), head);
  const unknownBlob = (res: ServerResponse) => replay(res, find(captured.read, 'GET', `/v2/library/hello/blobs/sha256:${'0'.repeat(64)}`));

  function scopeOf(method: string, pathname: string): string {
    if (pathname === '/v2/_catalog') return 'registry:catalog:*';
    const repository = /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(pathname)?.[1];
    if (!repository) return '';
    return `repository:${repository}:${method === 'DELETE' ? 'delete' : method === 'GET' || method === 'HEAD' ? 'pull' : 'pull,push'}`;
  }

  function authorize(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    if (!options.token) return true;
    const scope = scopeOf(req.method!, pathname);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const granted = token ? issued.get(token) : undefined;
    if (granted && (scope === '' || granted.has(scope))) return true;
    // The exact challenge of Distribution 2.8.2 (TOKEN.md).
    const challenge = `Bearer realm="${base}/token",service="test-registry"${scope ? `,scope="${scope}"` : ''}${granted ? ',error="insufficient_scope"' : ''}`;
    const body = JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] });
    send(res, 401, [['Content-Type', 'application/json; charset=utf-8'], ['Docker-Distribution-Api-Version', 'registry/2.0'], ['Www-Authenticate', challenge]], Buffer.from(`${body}\n`));
    return false;
  }

  function tokenEndpoint(req: IncomingMessage, res: ServerResponse, url: URL) {
    tokenRequests.push(url.search);
    const expected = `Basic ${Buffer.from(`${options.token!.username}:${options.token!.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected || url.searchParams.get('service') !== 'test-registry') {
      send(res, 401, [['Content-Type', 'application/json']], Buffer.from('{"details":"invalid username/password"}'));
      return;
    }
    const token = `token-${issued.size + 1}`;
    issued.set(token, new Set(url.searchParams.getAll('scope')));
    const body = { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() };
    send(res, 200, [['Content-Type', 'application/json']], Buffer.from(JSON.stringify(body)));
  }

  function catalog(res: ServerResponse, url: URL) {
    const n = Number(url.searchParams.get('n') ?? 1000);
    const last = url.searchParams.get('last');
    const names = [...state.keys()].sort().filter((name) => last === null || name > last);
    const page = names.slice(0, n);
    const headers: [string, string][] = [['Content-Type', 'application/json; charset=utf-8'], ['Docker-Distribution-Api-Version', 'registry/2.0']];
    // Distribution links the next page whenever a page is full, in exactly this form (read/03-catalog-n1.http).
    if (page.length === n && names.length > 0) headers.push(['Link', `</v2/_catalog?last=${encodeURIComponent(page[page.length - 1])}&n=${n}>; rel="next"`]);
    send(res, 200, headers, Buffer.from(`${JSON.stringify({ repositories: page })}\n`));
  }

  function manifests(req: IncomingMessage, res: ServerResponse, repository: string, reference: string) {
    const head = req.method === 'HEAD';
    const repo = state.get(repository);
    const digest = reference.includes(':') ? reference : repo?.tags.get(reference);
    const known = !!repo && !!digest && ([...repo.tags.values()].includes(digest) || repo.untagged.has(digest));
    if (req.method === 'DELETE') {
      if (!reference.includes(':')) return replay(res, find(captured.delete, 'DELETE', '/v2/library/hello/manifests/1.0'));
      if (!known) return replay(res, find(captured.delete, 'DELETE', `/v2/alice/app/manifests/${DIGEST.schema2}`, 404));
      removeManifest(repository, digest!);
      return replay(res, find(captured.delete, 'DELETE', `/v2/library/hello/manifests/${DIGEST.ociManifest}`));
    }
    const answer = digest && answers.get(digest);
    if (!known) return unknownManifest(res, head);
    if (!answer) {
      // Known to the model but never fetched in the capture: HEAD answers from the model, GET cannot.
      if (!head) return unknownManifest(res, head);
      return send(res, 200, [['Content-Type', 'application/vnd.oci.image.manifest.v1+json'], ['Docker-Content-Digest', digest!]], Buffer.alloc(0), true);
    }
    return replay(res, answer, head);
  }

  function removeManifest(repository: string, digest: string) {
    const repo = state.get(repository);
    if (!repo) return;
    for (const [tag, target] of [...repo.tags]) if (target === digest) repo.tags.delete(tag);
    repo.untagged.delete(digest);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://registry');
    if (url.pathname === '/token' && options.token) return tokenEndpoint(req, res, url);
    requests.push({
      method: req.method!,
      path: url.pathname + url.search,
      accept: req.headers.accept,
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent'],
    });
    const injection = injections.find((i) => i.times > 0 && (!i.method || i.method === req.method) && (!i.path || i.path.test(url.pathname)));
    if (injection) {
      injection.times--;
      if (injection.hang) return void hung.push(res);
      if (injection.meanwhile) return void injection.meanwhile().then(() => answer(req, res, url));
      return send(res, injection.status ?? 500, [['Content-Type', injection.contentType ?? 'text/plain']], Buffer.from(injection.body ?? 'injected failure'));
    }
    answer(req, res, url);
  });

  /** The registry's answer, from the capture and the model. */
  function answer(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!authorize(req, res, url.pathname)) return;
    if (url.pathname === '/v2/') return replay(res, find(captured.read, 'GET', '/v2/'));
    if (url.pathname === '/v2/_catalog') return catalog(res, url);
    const tagsList = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (tagsList) {
      const repo = state.get(tagsList[1]);
      if (!repo) return replay(res, find(captured.read, 'GET', '/v2/nosuch/repo/tags/list'));
      const tags = repo.tags.size > 0 ? [...repo.tags.keys()] : null;
      return send(res, 200, [['Content-Type', 'application/json; charset=utf-8']], Buffer.from(`${JSON.stringify({ name: tagsList[1], tags })}\n`));
    }
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (manifest) return manifests(req, res, manifest[1], decodeURIComponent(manifest[2]));
    const blob = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(url.pathname);
    if (blob && blobs.has(blob[2])) return send(res, 200, [['Content-Type', 'application/octet-stream'], ['Docker-Content-Digest', blob[2]]], blobs.get(blob[2])!, req.method === 'HEAD');
    if (blob) {
      const config = find(captured.read, 'GET', `/v2/library/hello/blobs/${DIGEST.config}`);
      return blob[2] === DIGEST.config && state.has(blob[1]) ? replay(res, config, req.method === 'HEAD') : unknownBlob(res);
    }
    send(res, 404, [['Content-Type', 'text/plain']], Buffer.from('404 page not found\n'));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    tokenRequests,
    inject: (injection) => void injections.push(injection),
    addImage(repository, tag, config, layers) {
      const configBody = Buffer.from(JSON.stringify(config));
      const configDigest = `sha256:${createHash('sha256').update(configBody).digest('hex')}`;
      blobs.set(configDigest, configBody);
      const mediaType = 'application/vnd.oci.image.manifest.v1+json';
      const descriptor = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configBody.length };
      const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config: descriptor, layers }));
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      answers.set(digest, { method: 'GET', path: '', accept: ALL_FOUR, status: 200, headers: [['Content-Type', mediaType], ['Docker-Content-Digest', digest]], body });
      if (!state.has(repository)) state.set(repository, { tags: new Map(), untagged: new Set() });
      state.get(repository)!.tags.set(tag, digest);
      return { digest, config: { digest: configDigest, size: configBody.length } };
    },
    deleteManifest: removeManifest,
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
