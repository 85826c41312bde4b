import { createServer, type AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { BERTH_USER_AGENT } from '../../src/registry/client';
import { MANIFEST_ACCEPT } from '../../src/registry/media-types';
import { buildApp } from '../../src/server';
import { addUser, graphql, startServer, type TestServer } from '../support/harness';
import { between, byFile, CAPTURED_SECRET, deliver, deliverAll, variant } from '../support/registry-events';
import { passes } from '../support/poll';
import { DIGEST, startReplayRegistry, type ReplayRegistry } from '../support/replay-registry';

const PUSHES = between('push-oci-manifest', 'capture-read');
const PULLS = between('capture-read', 'delete-via-api');

const MANIFEST = `query ($namespace: String!, $name: String!, $reference: String!) {
  repository(namespace: $namespace, name: $name) {
    pullCount pushCount
    manifest(reference: $reference) {
      digest mediaType size architecture os fetchedAt fetchError
      layers { digest size }
      platforms { architecture os variant }
      history { created createdBy emptyLayer }
    }
  }
}`;

const TAGS = `query ($namespace: String!, $name: String!) {
  repository(namespace: $namespace, name: $name) { pullCount pushCount latestTag { name } tags(first: 50) { nodes { name digest size pullCount } } }
}`;

const DELETE_TAG = `mutation ($input: DeleteTagInput!) {
  deleteTag(input: $input) { namespace repository tags { name digest } digests repositoryRemoved }
}`;

const DELETE_TAG_GONE = `mutation ($input: DeleteTagInput!) {
  deleteTag(input: $input) { tags { name digest } digests alreadyGone repositoryRemoved }
}`;

const SYNC = `mutation { syncRegistry(input: {}) { repositories repositoriesAdded repositoriesRemoved tagsAdded tagsMoved tagsRemoved manifestsQueued } }`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Setup {
  registry: ReplayRegistry;
  server: TestServer;
  admin: string;
}

async function setup(): Promise<Setup> {
  const registry = await startReplayRegistry();
  const server = await startServer({ env: { REGISTRY_URL: registry.url, BERTH_WEBHOOK_SECRET: CAPTURED_SECRET } });
  const admin = await addUser(server, 'root', 'admin');
  return { registry, server, admin };
}

async function teardown({ registry, server }: Setup) {
  await server.close();
  await registry.close();
}

async function manifestOf(s: Setup, namespace: string, name: string, reference: string) {
  const { body } = await graphql<any>(s.server, MANIFEST, { namespace, name, reference }, s.admin);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.repository.manifest;
}

async function tagsOf(s: Setup, namespace: string, name: string) {
  const { body } = await graphql<any>(s.server, TAGS, { namespace, name }, s.admin);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  const repository = body.data.repository;
  return { ...repository, tags: Object.fromEntries(repository.tags.nodes.map((t: any) => [t.name, t])) };
}

describe('manifests are fetched from the registry after their events are recorded', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
    await deliverAll(s.server, PUSHES);
  });
  afterAll(() => teardown(s));

  test('an image gets its size and layers, asked for with the four manifest types and Berth’s own User-Agent', async () => {
    const manifest = await passes(async () => {
      const m = await manifestOf(s, 'library', 'hello', '1.0');
      expect(m.layers).toHaveLength(1);
      return m;
    });
    expect(manifest).toMatchObject({ digest: DIGEST.ociManifest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 438 + 126 });
    expect(manifest.layers).toEqual([{ digest: DIGEST.layer, size: 126 }]);
    const fetches = s.registry.requests.filter((r) => r.path === `/v2/library/hello/manifests/${DIGEST.ociManifest}`);
    expect(fetches.length).toBeGreaterThan(0);
    for (const fetch of fetches) expect(fetch).toMatchObject({ method: 'GET', accept: MANIFEST_ACCEPT, userAgent: BERTH_USER_AGENT });
  });

  test('a config blob that fails digest verification is not stored, and the reason is shown', async () => {
    // The captured config body is damaged (435 of its 438 bytes): the layers are kept, the config is retried.
    const manifest = await passes(async () => {
      const m = await manifestOf(s, 'library', 'hello', '1.0');
      expect(m.fetchError).toMatch(/blobs\/sha256:679e.*body hashes to sha256:e9716afe/);
      return m;
    });
    expect(manifest).toMatchObject({ fetchedAt: null, architecture: null, size: 564 });
  });

  test('a multi-arch index lists its platforms and is sized from its children; children stay untagged', async () => {
    const index = await passes(async () => {
      const m = await manifestOf(s, 'library', 'hello', 'multi');
      expect(m.size).toBe(564);
      return m;
    });
    expect(index.platforms).toEqual([
      { architecture: 'amd64', os: 'linux', variant: null },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
    ]);
    expect(index.layers).toEqual([]);
    const list = await passes(async () => {
      const m = await manifestOf(s, 'library', 'hello', 'multi-v2s2');
      expect(m.size).toBe(564);
      return m;
    });
    expect(list.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    const { tags } = await tagsOf(s, 'library', 'hello');
    expect(Object.keys(tags).sort()).toEqual(['1.0', '1.0-v2s2', 'latest', 'multi', 'multi-v2s2']);
  });

  test('architecture, os and history come from the image config, and the legacy route shows them in schema 1', async () => {
    const created = '2024-01-01T00:00:00Z';
    const layers = [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: DIGEST.layer, size: 126 },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${'1'.repeat(64)}`, size: 300 },
    ];
    const config = {
      architecture: 'arm64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      history: [
        { created, created_by: 'ADD hello.txt /' },
        { created, created_by: 'ENV A=1', empty_layer: true },
        { created, created_by: 'COPY app /app' },
      ],
    };
    const image = s.registry.addImage('library/hello', 'arm', config, layers);
    await deliver(s.server, variant(byFile('0003'), (e) => {
      e.id = 'a1111111-0000-4000-8000-000000000001';
      Object.assign(e.target, { digest: image.digest, tag: 'arm' });
    }));
    const manifest = await passes(async () => {
      const m = await manifestOf(s, 'library', 'hello', 'arm');
      expect(m.architecture).toBe('arm64');
      return m;
    });
    expect(manifest).toMatchObject({ os: 'linux', size: image.config.size + 126 + 300, fetchError: null });
    expect(Date.parse(manifest.fetchedAt)).not.toBeNaN();
    expect(manifest.history).toEqual([
      { created, createdBy: 'ADD hello.txt /', emptyLayer: false },
      { created, createdBy: 'ENV A=1', emptyLayer: true },
      { created, createdBy: 'COPY app /app', emptyLayer: false },
    ]);
    const response = await fetch(`${s.server.url}/registry/v1/manifests/arm/library/hello`);
    const legacy: any = await response.json();
    expect(legacy.data).toMatchObject({ name: 'library/hello', tag: 'arm', architecture: 'arm64', schemaVersion: 1 });
    expect(legacy.data.fsLayers).toEqual([
      { blobSum: layers[1].digest },
      { blobSum: 'sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4' },
      { blobSum: DIGEST.layer },
    ]);
    expect(JSON.parse(legacy.data.history[0].v1Compatibility)).toMatchObject({ architecture: 'arm64', os: 'linux', container_config: { Cmd: ['COPY app /app'] } });
  });

  test('the legacy manifest route shows the linux/amd64 image of an index', async () => {
    const response = await fetch(`${s.server.url}/registry/v1/manifests/multi/library/hello`);
    const legacy: any = await response.json();
    expect(response.status).toBe(200);
    expect(legacy.data).toMatchObject({ name: 'library/hello', tag: 'multi', schemaVersion: 1, fsLayers: [{ blobSum: DIGEST.layer }] });
  });

  test('with children known, a multi-arch pull counts once for the repository; Berth’s own reads never count', async () => {
    await deliverAll(s.server, PULLS);
    // 32 GETs by tag and 4 by digest of manifests that are no index's child; 11 GETs of children by digest are part of their index's pull.
    const before = await tagsOf(s, 'library', 'hello');
    expect(before.pullCount).toBe(36);
    expect(before.tags['1.0'].pullCount).toBe(12);
    const own = variant(byFile('0044'), (e) => {
      e.id = 'b2222222-0000-4000-8000-000000000002';
      e.request.useragent = BERTH_USER_AGENT;
    });
    expect((await deliver(s.server, own)).body.data).toEqual({ recorded: 1, duplicates: 0 });
    const after = await tagsOf(s, 'library', 'hello');
    expect(after.pullCount).toBe(36);
    expect(after.tags['1.0'].pullCount).toBe(12);
  });
});

describe('deletes reach the registry first', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
    await deliverAll(s.server, PUSHES);
  });
  afterEach(() => teardown(s));

  const deletes = (registry: ReplayRegistry) => registry.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);

  test('a tag sharing its digest is refused with CONFLICT unless the caller agrees to remove every tag on it', async () => {
    const input = { namespace: 'library', repository: 'hello', tag: '1.0' };
    const refused = await graphql<any>(s.server, DELETE_TAG, { input }, s.admin);
    expect(refused.body.errors![0].extensions!.code).toBe('CONFLICT');
    expect(refused.body.errors![0].message).toContain(`latest (${DIGEST.ociManifest})`);
    expect(deletes(s.registry)).toEqual([]);

    const { body } = await graphql<any>(s.server, DELETE_TAG, { input: { ...input, removeAllTagsOfDigest: true } }, s.admin);
    expect(body.errors).toBeUndefined();
    expect(body.data.deleteTag).toEqual({
      namespace: 'library',
      repository: 'hello',
      tags: [
        { name: '1.0', digest: DIGEST.ociManifest },
        { name: 'latest', digest: DIGEST.ociManifest },
      ],
      digests: [DIGEST.ociManifest],
      repositoryRemoved: false,
    });
    expect(deletes(s.registry)).toEqual([`/v2/library/hello/manifests/${DIGEST.ociManifest}`]);
    expect(Object.keys((await tagsOf(s, 'library', 'hello')).tags).sort()).toEqual(['1.0-v2s2', 'multi', 'multi-v2s2']);
    // The registry serves it no more, and its own delete events that follow change nothing.
    const head = await fetch(`${s.registry.url}/v2/library/hello/manifests/1.0`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    await deliverAll(s.server, [byFile('0118'), byFile('0119'), byFile('0120')]);
    expect(Object.keys((await tagsOf(s, 'library', 'hello')).tags).sort()).toEqual(['1.0-v2s2', 'multi', 'multi-v2s2']);
  });

  test('the legacy DELETE route deletes by digest, and answers 409 for a shared digest', async () => {
    const shared = await fetch(`${s.server.url}/registry/v1/manifests/latest/library/hello`, { method: 'DELETE', headers: { authorization: s.admin } });
    expect(shared.status).toBe(409);
    const sole = await fetch(`${s.server.url}/registry/v1/manifests/library/hello?tag=1.0-v2s2`, { method: 'DELETE', headers: { authorization: s.admin } });
    expect(sole.status).toBe(200);
    expect(deletes(s.registry)).toEqual([`/v2/library/hello/manifests/${DIGEST.schema2}`]);
    expect(Object.keys((await tagsOf(s, 'library', 'hello')).tags)).not.toContain('1.0-v2s2');
  });

  test('when the registry refuses, nothing changes and the error names the cause', async () => {
    s.registry.inject({ method: 'DELETE', times: 1, status: 405 });
    const { body } = await graphql<any>(s.server, DELETE_TAG, { input: { namespace: 'bob', repository: 'tmp', tag: 'only' } }, s.admin);
    expect(body.errors![0].extensions!.code).toBe('UPSTREAM_FAILURE');
    expect(body.errors![0].message).toMatch(/DELETE \/v2\/bob\/tmp\/manifests\/sha256:2e66.* answered 405/);
    expect(Object.keys((await tagsOf(s, 'bob', 'tmp')).tags)).toEqual(['only']);
  });

  test('a manifest the registry no longer has is reported already gone, and its tag goes', async () => {
    s.registry.inject({ method: 'DELETE', times: 1, status: 404, contentType: 'application/json', body: '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}' });
    const { body } = await graphql<any>(s.server, DELETE_TAG_GONE, { input: { namespace: 'bob', repository: 'tmp', tag: 'only' } }, s.admin);
    expect(body.errors).toBeUndefined();
    expect(body.data.deleteTag).toMatchObject({ tags: [{ name: 'only', digest: DIGEST.ociManifest }], digests: [], alreadyGone: [DIGEST.ociManifest], repositoryRemoved: true });
  });

  test('deleting the last tag removes the repository, in the registry and in Berth', async () => {
    const { body } = await graphql<any>(s.server, DELETE_TAG, { input: { namespace: 'bob', repository: 'tmp', tag: 'only' } }, s.admin);
    expect(body.data.deleteTag).toMatchObject({ tags: [{ name: 'only', digest: DIGEST.ociManifest }], repositoryRemoved: true });
    const gone = await graphql<any>(s.server, TAGS, { namespace: 'bob', name: 'tmp' }, s.admin);
    expect(gone.body.errors![0].extensions!.code).toBe('NOT_FOUND');
  });
});

test('when the registry cannot be reached, a delete changes nothing and says why', async () => {
  const port = await freePort();
  const server = await startServer({ env: { REGISTRY_URL: `http://127.0.0.1:${port}`, REGISTRY_TIMEOUT_MS: '500' } });
  try {
    const admin = await addUser(server, 'root', 'admin');
    await deliverAll(server, [byFile('0040')]);
    const { body } = await graphql<any>(server, DELETE_TAG, { input: { namespace: 'bob', repository: 'tmp', tag: 'only' } }, admin);
    expect(body.errors![0].extensions!.code).toBe('UPSTREAM_FAILURE');
    expect(body.errors![0].message).toMatch(new RegExp(`registry http://127.0.0.1:${port}: DELETE .* failed: .*ECONNREFUSED`));
    const tags = await graphql<any>(server, TAGS, { namespace: 'bob', name: 'tmp' }, admin);
    expect(tags.body.data.repository.tags.nodes.map((t: any) => t.name)).toEqual(['only']);
  } finally {
    await server.close();
  }
});

describe('sync with the registry', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(() => teardown(s));

  test('adopts an existing registry: repositories, tags and digests from catalog, tags/list and manifests', async () => {
    const { body } = await graphql<any>(s.server, SYNC, {}, s.admin);
    expect(body.errors).toBeUndefined();
    expect(body.data.syncRegistry).toEqual({
      repositories: 3,
      repositoriesAdded: 3,
      repositoriesRemoved: 0,
      tagsAdded: 9,
      tagsMoved: 0,
      tagsRemoved: 0,
      manifestsQueued: 8,
    });
    const library = await tagsOf(s, 'library', 'hello');
    expect(Object.fromEntries(Object.entries(library.tags).map(([n, t]: [string, any]) => [n, t.digest]))).toEqual({
      '1.0': DIGEST.ociManifest,
      '1.0-v2s2': DIGEST.schema2,
      latest: DIGEST.ociManifest,
      multi: DIGEST.ociIndex,
      'multi-v2s2': DIGEST.dockerList,
    });
    expect((await tagsOf(s, 'alice', 'app')).tags.stable.digest).toBe(DIGEST.aliceStable);
    await passes(async () => expect((await manifestOf(s, 'library', 'hello', 'multi')).size).toBe(564));
    // A second sync finds nothing to do.
    const again = await graphql<any>(s.server, SYNC, {}, s.admin);
    expect(again.body.data.syncRegistry).toMatchObject({ repositoriesAdded: 0, tagsAdded: 0, tagsMoved: 0, tagsRemoved: 0 });
  });

  test('recovers deletes whose events were lost, keeping counters; tags pushed during the sync stay', async () => {
    await deliverAll(s.server, PUSHES);
    await deliverAll(s.server, [byFile('0044'), byFile('0045')]);
    // What the capture's delete step did, without its events reaching Berth.
    s.registry.deleteManifest('alice/app', DIGEST.schema2);
    s.registry.deleteManifest('library/hello', DIGEST.ociManifest);
    s.registry.deleteManifest('bob/tmp', DIGEST.ociManifest);
    s.registry.deleteManifest('library/hello', DIGEST.schema2);
    // A push recorded while the sync reads alice/app's tags, which the registry's tag list does not show yet.
    s.registry.inject({
      method: 'GET',
      path: /^\/v2\/alice\/app\/tags\/list$/,
      times: 1,
      meanwhile: () =>
        deliver(s.server, variant(byFile('0030'), (e) => {
          e.id = 'c3333333-0000-4000-8000-000000000003';
          e.timestamp = new Date().toISOString();
          e.target.tag = 'fresh';
        })),
    });
    const { body } = await graphql<any>(s.server, SYNC, {}, s.admin);
    expect(body.data.syncRegistry).toMatchObject({ repositoriesRemoved: 1, tagsRemoved: 5, tagsAdded: 0, tagsMoved: 0 });
    const library = await tagsOf(s, 'library', 'hello');
    expect(Object.keys(library.tags).sort()).toEqual(['multi', 'multi-v2s2']);
    expect(library).toMatchObject({ pushCount: 6, pullCount: 2 });
    expect(Object.keys((await tagsOf(s, 'alice', 'app')).tags).sort()).toEqual(['1.0', 'fresh', 'stable']);
    const bob = await graphql<any>(s.server, TAGS, { namespace: 'bob', name: 'tmp' }, s.admin);
    expect(bob.body.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  test('is for admins only', async () => {
    const user = await addUser(s.server, 'carol');
    expect((await graphql<any>(s.server, SYNC, {}, user)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await graphql<any>(s.server, SYNC)).body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(s.registry.requests).toEqual([]);
  });

  test('fails with UPSTREAM_FAILURE, changing nothing, when the registry fails', async () => {
    await deliverAll(s.server, [byFile('0040')]);
    s.registry.inject({ path: /_catalog/, times: 10, status: 503 });
    const { body } = await graphql<any>(s.server, SYNC, {}, s.admin);
    expect(body.errors![0].extensions!.code).toBe('UPSTREAM_FAILURE');
    expect(body.errors![0].message).toMatch(/_catalog.* answered 503/);
    expect(Object.keys((await tagsOf(s, 'bob', 'tmp')).tags)).toEqual(['only']);
  });
});

test('without REGISTRY_URL, deletes change only Berth and sync says what is missing', async () => {
  const server = await startServer();
  try {
    const admin = await addUser(server, 'root', 'admin');
    await deliverAll(server, PUSHES);
    const { body } = await graphql<any>(server, DELETE_TAG, { input: { namespace: 'library', repository: 'hello', tag: '1.0' } }, admin);
    expect(body.data.deleteTag).toMatchObject({ tags: [{ name: '1.0', digest: DIGEST.ociManifest }], digests: [] });
    const sync = await graphql<any>(server, SYNC, {}, admin);
    expect(sync.body.errors![0]).toMatchObject({ extensions: { code: 'UPSTREAM_FAILURE' } });
    expect(sync.body.errors![0].message).toMatch(/REGISTRY_URL/);
  } finally {
    await server.close();
  }
});

test('BERTH_SYNC_INTERVAL syncs on its own, from the start', async () => {
  const registry = await startReplayRegistry();
  const server = await startServer({ env: { REGISTRY_URL: registry.url, BERTH_SYNC_INTERVAL: '3600' } });
  try {
    const admin = await addUser(server, 'root', 'admin');
    const names = await passes(async () => {
      const { body } = await graphql<any>(server, '{ repositories(first: 10) { nodes { fullName } } }', {}, admin);
      expect(body.data.repositories.nodes).toHaveLength(3);
      return body.data.repositories.nodes.map((r: any) => r.fullName).sort();
    });
    expect(names).toEqual(['alice/app', 'bob/tmp', 'library/hello']);
  } finally {
    await server.close();
    await registry.close();
  }
});

test('two Berth processes sharing the database fetch each manifest once', async () => {
  const registry = await startReplayRegistry();
  const env = { REGISTRY_URL: registry.url };
  const first = await startServer({ env });
  const second = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', BERTH_WEBHOOK_SECRET: CAPTURED_SECRET, ...env }), database: first.database });
  await second.http.listen({ port: 0, host: '127.0.0.1' });
  try {
    const address = second.http.server.address() as AddressInfo;
    const other = { ...first, url: `http://127.0.0.1:${address.port}` };
    const admin = await addUser(first, 'root', 'admin');
    // Each process records half of the pushes, so both workers are woken and race for the same rows.
    await Promise.all([deliverAll(first, PUSHES.filter((_, i) => i % 2 === 0)), deliverAll(other, PUSHES.filter((_, i) => i % 2 === 1))]);
    await passes(async () => {
      const { body } = await graphql<any>(first, MANIFEST, { namespace: 'library', name: 'hello', reference: 'multi-v2s2' }, admin);
      expect(body.data.repository.manifest.size).toBe(564);
    });
    // The indexes have no config, so nothing made them fail and be retried: one GET each, whichever process took it.
    for (const digest of [DIGEST.ociIndex, DIGEST.dockerList]) {
      expect(registry.requests.filter((r) => r.method === 'GET' && r.path === `/v2/library/hello/manifests/${digest}`)).toHaveLength(1);
    }
  } finally {
    await second.http.close();
    await first.close();
    await registry.close();
  }
});
