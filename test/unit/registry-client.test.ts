import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseChallenge } from '../../src/registry/auth';
import { BERTH_USER_AGENT, nextLink, RegistryClient, RegistryError, sha256, type RegistryCall } from '../../src/registry/client';
import { passes } from '../support/poll';
import { parseConfig, parseManifest } from '../../src/registry/image';
import { MANIFEST_ACCEPT } from '../../src/registry/media-types';
import { ALL_FOUR, captured, DIGEST, startReplayRegistry, type ReplayRegistry } from '../support/replay-registry';

const fast = { retries: 2, retryDelayMs: 5, timeoutMs: 2_000 };

describe('against the captured registry answers', () => {
  let registry: ReplayRegistry;
  let client: RegistryClient;
  beforeAll(async () => {
    registry = await startReplayRegistry();
    client = new RegistryClient({ url: registry.url, ...fast });
  });
  afterAll(() => registry.close());

  test('the Accept header names exactly the four types the capture shows are served unconverted', () => {
    expect(MANIFEST_ACCEPT.split(', ').sort()).toEqual(ALL_FOUR.split(', ').sort());
  });

  test.each([
    ['OCI manifest', DIGEST.ociManifest, 'application/vnd.oci.image.manifest.v1+json'],
    ['Docker schema 2', DIGEST.schema2, 'application/vnd.docker.distribution.manifest.v2+json'],
    ['OCI index', DIGEST.ociIndex, 'application/vnd.oci.image.index.v1+json'],
    ['Docker manifest list', DIGEST.dockerList, 'application/vnd.docker.distribution.manifest.list.v2+json'],
  ])('fetches a %s as pushed, with its digest verified', async (_kind, digest, mediaType) => {
    const manifest = await client.manifest('library/hello', digest);
    expect(manifest).toMatchObject({ digest, mediaType });
    expect(sha256(manifest.body)).toBe(digest);
    const request = registry.requests[registry.requests.length - 1];
    expect(request).toMatchObject({ method: 'GET', accept: MANIFEST_ACCEPT, userAgent: BERTH_USER_AGENT });
  });

  test('by tag, the body is checked against Docker-Content-Digest', async () => {
    expect((await client.manifest('library/hello', 'multi-v2s2')).digest).toBe(DIGEST.dockerList);
  });

  test('reads layers, config, children with platforms, and the config history', async () => {
    const index = await client.manifest('library/hello', DIGEST.ociIndex);
    expect(parseManifest(index.body, index.mediaType).children.map((c) => c.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
    ]);
    const image = await client.manifest('library/hello', DIGEST.schema2);
    const parsed = parseManifest(image.body, image.mediaType);
    expect(parsed.config).toMatchObject({ digest: DIGEST.config, size: 438 });
    expect(parsed.layers).toEqual([{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: DIGEST.layer, size: 126 }]);
    const config = parseConfig(captured.read.find((c) => c.path.endsWith(DIGEST.config))!.body);
    expect(config).toEqual({
      architecture: 'amd64',
      os: 'linux',
      history: [{ created: '2024-01-01T00:00:00Z', createdBy: 'make-oci-layout.js: ADD hello.txt /', emptyLayer: false }],
    });
  });

  test('a blob whose bytes do not hash to its digest is refused', async () => {
    // The captured config body is 435 bytes where the registry announced 438: it no longer hashes to its digest.
    const error = await client.blob('library/hello', DIGEST.config).catch((e) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toMatch(/body hashes to sha256:e9716afe/);
  });

  test('an unknown manifest is a RegistryError that says so, naming the registry and the request', async () => {
    const error = await client.manifest('library/hello', 'nope').catch((e) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN', isUnknown: true });
    expect(error.message).toContain(`registry ${registry.url}: GET /v2/library/hello/manifests/nope answered 404 (MANIFEST_UNKNOWN: manifest unknown)`);
  });

  test('HEAD gives the digest of a tag; an unknown tag gives null', async () => {
    expect(await client.headManifest('library/hello', '1.0')).toMatchObject({ digest: DIGEST.ociManifest, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(await client.headManifest('library/hello', 'nope')).toBeNull();
  });

  test('the catalog is followed through its Link pages, the first exactly as captured', async () => {
    const pages: string[][] = [];
    for await (const page of client.catalog(1)) pages.push(page);
    expect(pages).toEqual([['alice/app'], ['bob/tmp'], ['library/hello'], []]);
    const first = captured.read.find((c) => c.path === '/v2/_catalog?n=1')!;
    expect(nextLink(first.headers.find(([k]) => k === 'Link')![1])).toBe('v2/_catalog?last=alice%2Fapp&n=1');
    expect(registry.requests.filter((r) => r.path.startsWith('/v2/_catalog')).map((r) => r.path)).toEqual([
      '/v2/_catalog?n=1',
      '/v2/_catalog?last=alice%2Fapp&n=1',
      '/v2/_catalog?last=bob%2Ftmp&n=1',
      '/v2/_catalog?last=library%2Fhello&n=1',
    ]);
  });

  test('tags of a repository, and none for a repository the registry does not know', async () => {
    expect(await client.tags('library/hello')).toEqual(['latest', 'multi', '1.0-v2s2', 'multi-v2s2', '1.0']);
    expect(await client.tags('nosuch/repo')).toEqual([]);
  });

  test('deleting a manifest is by digest; one already gone answers false', async () => {
    expect(await client.deleteManifest('bob/tmp', DIGEST.ociManifest)).toBe(true);
    expect(await client.deleteManifest('bob/tmp', DIGEST.ociManifest)).toBe(false);
    expect(registry.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `/v2/bob/tmp/manifests/${DIGEST.ociManifest}`,
      `/v2/bob/tmp/manifests/${DIGEST.ociManifest}`,
    ]);
  });
});

describe('upstream failures', () => {
  let registry: ReplayRegistry;
  beforeEach(async () => {
    registry = await startReplayRegistry();
  });
  afterEach(() => registry.close());

  test('5xx and 429 answers are retried, a bounded number of times', async () => {
    const client = new RegistryClient({ url: registry.url, ...fast });
    registry.inject({ method: 'GET', times: 1, status: 503 });
    registry.inject({ method: 'GET', times: 1, status: 429 });
    expect((await client.manifest('library/hello', DIGEST.ociManifest)).digest).toBe(DIGEST.ociManifest);
    expect(registry.requests).toHaveLength(3);

    registry.inject({ method: 'GET', times: 10, status: 500 });
    const error = await client.manifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toMatch(/answered 500 \(injected failure\) \(after 3 attempts\)/);
    expect(registry.requests).toHaveLength(6);
  });

  test('4xx answers other than 401 are not retried', async () => {
    const client = new RegistryClient({ url: registry.url, ...fast });
    registry.inject({ method: 'DELETE', times: 1, status: 405 });
    const error = await client.deleteManifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    expect(error).toMatchObject({ status: 405 });
    expect(registry.requests).toHaveLength(1);
  });

  test('a registry that does not answer times out, per attempt', async () => {
    const client = new RegistryClient({ url: registry.url, retries: 1, retryDelayMs: 5, timeoutMs: 150 });
    registry.inject({ times: 2, hang: true });
    const started = Date.now();
    const error = await client.manifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    expect(error.message).toMatch(/no answer within 150 ms \(after 2 attempts\)/);
    expect(error.status).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('an operation fails at its deadline, whatever its retries, and observers hear how it ended', async () => {
    const client = new RegistryClient({ url: registry.url, retries: 10, retryDelayMs: 5, timeoutMs: 400, deadlineMs: 1_000 });
    const calls: RegistryCall[] = [];
    client.observe((call) => calls.push(call));
    expect(await client.deleteManifest('library/hello', DIGEST.ociManifest)).toBe(true);
    registry.inject({ times: 100, hang: true });
    const started = Date.now();
    const error = await client.deleteManifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    // Eleven attempts of 400 ms would end as 'unreachable' after 4.4 s: the deadline ended it, after retries.
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ status: null, cutShort: 'deadline', outcome: 'deadline', retryAfterSeconds: 5 });
    expect(error.message).toBe(`registry ${registry.url}: delete_manifest got no answer within its 1000 ms deadline`);
    expect(registry.requests.filter((r) => r.method === 'DELETE').length).toBeGreaterThan(2);
    expect(calls.map((c) => [c.operation, c.outcome])).toEqual([
      ['delete_manifest', 'ok'],
      ['delete_manifest', 'deadline'],
    ]);
  });

  test('close aborts the operations in flight at once, and those started later', async () => {
    const client = new RegistryClient({ url: registry.url, timeoutMs: 60_000, deadlineMs: 60_000 });
    const calls: RegistryCall[] = [];
    client.observe((call) => calls.push(call));
    registry.inject({ times: 100, hang: true });
    const inFlight = client.manifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    await passes(async () => expect(registry.requests).toHaveLength(1));
    client.close();
    expect(await inFlight).toMatchObject({ cutShort: 'aborted', message: `registry ${registry.url}: manifest aborted: Berth is stopping` });
    expect(await client.tags('library/hello').catch((e) => e)).toMatchObject({ cutShort: 'aborted' });
    expect(calls.map((c) => c.outcome)).toEqual(['aborted', 'aborted']);
  });

  test('a signal given to one operation aborts that operation only', async () => {
    const client = new RegistryClient({ url: registry.url, timeoutMs: 60_000, deadlineMs: 60_000 });
    registry.inject({ times: 1, hang: true });
    const stopping = new AbortController();
    const inFlight = client.manifest('library/hello', DIGEST.ociManifest, stopping.signal).catch((e) => e);
    await passes(async () => expect(registry.requests).toHaveLength(1));
    stopping.abort();
    expect(await inFlight).toMatchObject({ cutShort: 'aborted' });
    expect((await client.manifest('library/hello', DIGEST.ociManifest)).digest).toBe(DIGEST.ociManifest);
  });

  test('a registry that is not listening is reported as unreachable, with the cause', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const client = new RegistryClient({ url: `http://127.0.0.1:${port}`, ...fast });
    const error = await client.deleteManifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toMatch(new RegExp(`registry http://127.0.0.1:${port}: DELETE .* failed: .*ECONNREFUSED`));
  });

  test('a body that does not hash to the digest asked for is refused', async () => {
    const client = new RegistryClient({ url: registry.url, ...fast });
    const schema2 = captured.read.find((c) => c.path === `/v2/library/hello/manifests/${DIGEST.schema2}` && c.accept === ALL_FOUR)!;
    registry.inject({ method: 'GET', times: 1, status: 200, body: schema2.body.toString(), contentType: 'application/vnd.oci.image.manifest.v1+json' });
    const error = await client.manifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toContain(`body hashes to ${DIGEST.schema2}, expected ${DIGEST.ociManifest}`);
  });

  test('a schema 1 manifest is refused rather than misread', async () => {
    const client = new RegistryClient({ url: registry.url, ...fast });
    const schema1 = captured.read.find((c) => c.path === '/v2/library/hello/manifests/1.0-v2s2' && c.accept === null)!;
    registry.inject({ method: 'GET', times: 1, status: 200, body: schema1.body.toString(), contentType: 'application/vnd.docker.distribution.manifest.v1+prettyjws' });
    await expect(client.manifest('library/hello', '1.0-v2s2')).rejects.toThrow(/schema 1 manifest/);
  });
});

describe('token auth (Bearer challenge, then the realm)', () => {
  let registry: ReplayRegistry;
  beforeEach(async () => {
    registry = await startReplayRegistry({ token: { username: 'alice', password: 'alicepw' } });
  });
  afterEach(() => registry.close());

  test('answers the challenge with a token for the scope asked, and reuses it', async () => {
    const client = new RegistryClient({ url: registry.url, credentials: { username: 'alice', password: 'alicepw' }, ...fast });
    expect((await client.manifest('library/hello', DIGEST.ociManifest)).digest).toBe(DIGEST.ociManifest);
    expect(registry.tokenRequests).toEqual(['?account=alice&service=test-registry&scope=repository%3Alibrary%2Fhello%3Apull']);
    expect(registry.requests.map((r) => r.authorization)).toEqual([undefined, 'Bearer token-1']);
    await client.manifest('library/hello', DIGEST.schema2);
    expect(registry.tokenRequests).toHaveLength(1);
    expect(registry.requests[2].authorization).toBe('Bearer token-1');
    // Deleting needs the delete scope: a new challenge, a new token.
    await client.deleteManifest('library/hello', DIGEST.schema2);
    expect(registry.tokenRequests[1]).toBe('?account=alice&service=test-registry&scope=repository%3Alibrary%2Fhello%3Adelete');
    const pages: string[][] = [];
    for await (const page of client.catalog()) pages.push(page);
    expect(pages[0]).toEqual(['alice/app', 'bob/tmp', 'library/hello']);
    expect(registry.tokenRequests[2]).toBe('?account=alice&service=test-registry&scope=registry%3Acatalog%3A*');
  });

  test('wrong credentials are reported as such', async () => {
    const client = new RegistryClient({ url: registry.url, credentials: { username: 'alice', password: 'wrong' }, ...fast });
    const error = await client.manifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.message).toMatch(/token service .* refused the credentials in REGISTRY_USERNAME \/ REGISTRY_PASSWORD/);
  });

  test('without credentials the 401 is the answer', async () => {
    const client = new RegistryClient({ url: registry.url, ...fast });
    const error = await client.manifest('library/hello', DIGEST.ociManifest).catch((e) => e);
    expect(error).toMatchObject({ status: 401 });
  });
});

test('parses the exact challenges Distribution sends (TOKEN.md)', () => {
  expect(parseChallenge('Bearer realm="http://127.0.0.1:5056/token",service="test-registry",scope="repository:alice/app:pull,push repository:library/hello:pull"')).toEqual({
    scheme: 'bearer',
    params: { realm: 'http://127.0.0.1:5056/token', service: 'test-registry', scope: 'repository:alice/app:pull,push repository:library/hello:pull' },
  });
  expect(parseChallenge('Bearer realm="r",service="s",scope="repository:library/hello:pull,push",error="insufficient_scope"')?.params.error).toBe('insufficient_scope');
  expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
});
