import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addUser, startServer, type TestServer } from '../support/harness';
import { berthCli } from './support/cli';
import { deleteRepository, deleteTag, legacy, manifestState, repositoryState, syncRegistry, type RepositoryState, type TagState } from './support/berth';
import { OciLayout, type BuiltImage, type BuiltIndex, type ImageSpec, type Platform } from './support/image';
import { eventually, until } from '../support/poll';
import { createRegistry, type NotificationTarget, type Registry } from './support/registry';
import { inspect, pull, push } from './support/skopeo';
import { storedManifest } from './support/stored';
import { deleteManifest, getManifest, headManifest, listTags, type ServedManifest } from './support/v2';
import { stopAll } from './support/teardown';

/**
 * Berth against a real Docker Distribution registry (Debian's docker-registry
 * 2.8) driven by skopeo: what users push and pull must show up in Berth
 * exactly, deletes made through Berth must reach the registry, and sync must
 * recover what the registry's webhook lost. The steps build on each other.
 */

const secret = randomBytes(16).toString('hex');
/** Makes every blob of this run unique, so nothing is shared with other runs or cached by skopeo. */
const nonce = randomBytes(8).toString('hex');

let registry: Registry | undefined;
let berth: TestServer | undefined;
let layoutDir: string | undefined;
let admin: string;
let alice: string;

/** Digests by image reference, as skopeo reported them after each push. */
const pushed: Record<string, string> = {};
let hello: BuiltImage;
let multi: BuiltIndex;
/** The registry's own schema-1 conversion of library/hello:1.0-docker, fetched by an old client. */
let schema1: ServedManifest;

const webhook = (): NotificationTarget => ({ url: `${berth!.url}/registry/v1/notifications`, secret });
const r = () => registry!;
const b = () => berth!;

const amd64: Platform = { architecture: 'amd64', os: 'linux' };
const base = { 'etc/os-release': `ID=berth-e2e\nBUILD=${nonce}\n` };
const image = (app: string, platform = amd64): ImageSpec => ({
  platform,
  layers: [base, { [`app/${app}.txt`]: `${app} ${nonce}\n` }],
  cmd: [`/app/${app}`],
});

async function pushImage(ref: string, target: string, format: 'oci' | 'v2s2', all = false) {
  pushed[target] = await push(layoutDir!, ref, r().host, target, format, all);
  return pushed[target];
}

/** The tag as Berth should list it: media type and size from the manifest the registry stored. */
async function expectedTag(digest: string, pushCount: number, pullCount: number): Promise<TagState> {
  const { mediaType, size } = await storedManifest(r(), digest);
  return { digest, mediaType, size, pushCount, pullCount };
}

const stateOf = (fullNames: string[]) => async () =>
  Object.fromEntries(await Promise.all(fullNames.map(async (name) => [name, await repositoryState(b(), name, admin)])));

beforeAll(async () => {
  registry = await createRegistry();
  berth = await startServer({ env: { REGISTRY_URL: registry.url, BERTH_WEBHOOK_SECRET: secret } });
  admin = await addUser(berth, 'admin', 'admin');
  alice = await addUser(berth, 'alice');
  await registry.start({ notify: webhook() });

  layoutDir = await mkdtemp(path.join(tmpdir(), 'berth-layout-'));
  const layout = new OciLayout(layoutDir);
  hello = await layout.addImage('hello', image('hello'));
  multi = await layout.addIndex('multi', [image('multi'), image('multi', { architecture: 'arm64', os: 'linux', variant: 'v8' })]);
  await layout.addImage('app-1', image('app-1'));
  await layout.addImage('app-2', image('app-2'));
  await layout.addImage('app-3', image('app-3'));
  await layout.addImage('world', image('world'));
  await layout.finish();
});

// The registry first, so it stops delivering to a Berth that is closing.
afterAll(
  () =>
    stopAll(
      () => registry?.stop(),
      () => berth?.close(),
      () => layoutDir && rm(layoutDir, { recursive: true, force: true }),
    ),
);

test('pushes in OCI, Docker schema 2 and multi-arch form to two namespaces appear with the registry digests, sizes and push counts', async () => {
  expect(await pushImage('hello', 'library/hello:1.0', 'oci')).toBe(hello.manifest.digest);
  expect(await pushImage('hello', 'library/hello:stable', 'oci')).toBe(hello.manifest.digest);
  await pushImage('hello', 'library/hello:1.0-docker', 'v2s2');
  expect(await pushImage('multi', 'library/hello:multi', 'oci', true)).toBe(multi.index.digest);
  await pushImage('multi', 'library/hello:multi-docker', 'v2s2', true);
  await pushImage('app-1', 'alice/app:1.0', 'oci');
  await pushImage('app-2', 'alice/app:2.0', 'v2s2');

  // One push per tag pushed: the children of an index are part of its push, as they are of its pull.
  const expected: Record<string, RepositoryState> = {
    'library/hello': {
      publicity: 'PUBLIC',
      pushCount: 5,
      pullCount: 0,
      latestTag: 'multi-docker',
      tags: {
        '1.0': await expectedTag(pushed['library/hello:1.0'], 2, 0),
        stable: await expectedTag(pushed['library/hello:1.0'], 2, 0),
        '1.0-docker': await expectedTag(pushed['library/hello:1.0-docker'], 1, 0),
        multi: await expectedTag(pushed['library/hello:multi'], 1, 0),
        'multi-docker': await expectedTag(pushed['library/hello:multi-docker'], 1, 0),
      },
    },
    'alice/app': {
      publicity: 'PRIVATE',
      pushCount: 2,
      pullCount: 0,
      latestTag: '2.0',
      tags: {
        '1.0': await expectedTag(pushed['alice/app:1.0'], 1, 0),
        '2.0': await expectedTag(pushed['alice/app:2.0'], 1, 0),
      },
    },
  };
  expect(await eventually(stateOf(['library/hello', 'alice/app']), expected)).toEqual(expected);
  // The schema-2 push is a different manifest of the same image, of the same size.
  expect(pushed['library/hello:1.0-docker']).not.toBe(pushed['library/hello:1.0']);
  expect(expected['library/hello'].tags['1.0-docker'].size).toBe(expected['library/hello'].tags['1.0'].size);
});

test('each manifest, index child included, carries the config, layers, platforms and history the registry stored', async () => {
  const references: [string, string][] = [
    ['library/hello', pushed['library/hello:1.0']],
    ['library/hello', pushed['library/hello:1.0-docker']],
    ['library/hello', pushed['library/hello:multi']],
    ['library/hello', pushed['library/hello:multi-docker']],
    ['alice/app', pushed['alice/app:1.0']],
    ['alice/app', pushed['alice/app:2.0']],
  ];
  for (const index of ['library/hello:multi', 'library/hello:multi-docker']) {
    const { children } = await storedManifest(r(), pushed[index]);
    expect(children.map((c) => c.platform)).toEqual([
      { architecture: 'amd64', os: 'linux', variant: null },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
    ]);
    for (const child of children) references.push(['library/hello', child.digest]);
  }
  // Berth fetches bodies and configs after recording the push, so wait for all of them at once.
  const key = ([repository, digest]: [string, string]) => `${repository}@${digest}`;
  const expected = Object.fromEntries(await Promise.all(references.map(async (ref) => [key(ref), await storedManifest(r(), ref[1])])));
  const shown = async () =>
    Object.fromEntries(
      await Promise.all(
        references.map(async (ref) => {
          const { pushCount: _push, pullCount: _pull, ...view } = (await manifestState(b(), ref[0], ref[1], admin)) as any;
          return [key(ref), view];
        }),
      ),
    );
  expect(await eventually(shown, expected, { holdMs: 0 })).toEqual(expected);
  expect((await storedManifest(r(), hello.manifest.digest)).history.map((h) => h.createdBy)).toEqual(hello.history.map((h) => h.created_by));
});

test('pulls count once per manifest fetched with GET: by tag for the tags on that digest, an index child only for itself', async () => {
  await pull(r().host, 'library/hello:1.0');
  await pull(r().host, 'library/hello:1.0');
  await pull(r().host, 'library/hello:multi', true);
  // An old client: without schema 2 in Accept the registry converts the manifest to schema 1 (and reads the config blob).
  schema1 = await getManifest(r().url, 'library/hello', '1.0-docker', 'application/vnd.docker.distribution.manifest.v1+prettyjws');
  expect(schema1.status).toBe(200);
  expect((await inspect(r().host, 'alice/app:1.0')).Digest).toBe(pushed['alice/app:1.0']);
  // Existence checks and blob downloads are not pulls of an image: the registry reports them, Berth does not count them.
  expect((await headManifest(r().url, 'library/hello', 'multi-docker')).status).toBe(200);
  expect((await headManifest(r().url, 'library/hello', pushed['library/hello:1.0-docker'])).status).toBe(200);
  const config = (await storedManifest(r(), pushed['alice/app:2.0'])).config!;
  const blob = await fetch(`${r().url}/v2/alice/app/blobs/${config.digest}`);
  expect({ status: blob.status, size: (await blob.arrayBuffer()).byteLength }).toEqual({ status: 200, size: config.size });

  const expected = {
    'library/hello': {
      publicity: 'PUBLIC',
      pushCount: 5,
      pullCount: 4,
      latestTag: 'multi-docker',
      tags: {
        '1.0': await expectedTag(pushed['library/hello:1.0'], 2, 2),
        stable: await expectedTag(pushed['library/hello:1.0'], 2, 2),
        '1.0-docker': await expectedTag(pushed['library/hello:1.0-docker'], 1, 1),
        multi: await expectedTag(pushed['library/hello:multi'], 1, 1),
        'multi-docker': await expectedTag(pushed['library/hello:multi-docker'], 1, 0),
      },
    },
    'alice/app': {
      publicity: 'PRIVATE',
      pushCount: 2,
      pullCount: 1,
      latestTag: '2.0',
      tags: {
        '1.0': await expectedTag(pushed['alice/app:1.0'], 1, 1),
        '2.0': await expectedTag(pushed['alice/app:2.0'], 1, 0),
      },
    },
  };
  const state = await eventually(stateOf(['library/hello', 'alice/app']), expected);

  const counts = async (digest: string) => {
    const { pushCount, pullCount } = (await manifestState(b(), 'library/hello', digest, admin)) as any;
    return { pushCount, pullCount };
  };
  const ociChildren = multi.images.map((child) => child.manifest.digest);
  const dockerChildren = (await storedManifest(r(), pushed['library/hello:multi-docker'])).children.map((child) => child.digest);
  const childCounts = Object.fromEntries(await Promise.all([...ociChildren, ...dockerChildren].map(async (d) => [d, await counts(d)])));
  expect({ state, childCounts }).toEqual({
    state: expected,
    // skopeo pulled each child of `multi` by digest; nobody pulled those of `multi-docker`.
    childCounts: Object.fromEntries([
      ...ociChildren.map((d) => [d, { pushCount: 1, pullCount: 1 }]),
      ...dockerChildren.map((d) => [d, { pushCount: 1, pullCount: 0 }]),
    ]),
  });
});

test('the legacy REST routes show the same repositories, tags, digests, sizes and counts', async () => {
  const graph = (await repositoryState(b(), 'library/hello', admin)) as RepositoryState;
  const tagList = await legacy(b(), '/tag/list/library/hello');
  const summary = (list: any[] = []) =>
    list.map((repo) => ({ Namespace: repo.Namespace, Image: repo.Image, LatestTag: repo.LatestTag, PushCount: repo.PushCount, PullCount: repo.PullCount }));
  expect({
    tagList: {
      status: tagList.status,
      tags: Object.fromEntries(
        (tagList.body.data ?? []).map((t: any) => [t.Tag, { Image: t.Image, Digest: t.Digest, Size: t.Size, PushCount: t.PushCount, PullCount: t.PullCount }]),
      ),
    },
    public: summary((await legacy(b(), '/repositories/public')).body.data),
    mine: summary((await legacy(b(), '/repositories/mine', alice)).body.data),
    privateTagListForAnonymous: (await legacy(b(), '/tag/list/alice/app')).status,
  }).toEqual({
    // The tag list agrees with GraphQL, which the earlier steps checked against the registry.
    tagList: {
      status: 200,
      tags: Object.fromEntries(
        Object.entries(graph.tags).map(([name, t]) => [name, { Image: 'hello', Digest: t.digest, Size: t.size, PushCount: t.pushCount, PullCount: t.pullCount }]),
      ),
    },
    public: [{ Namespace: 'library', Image: 'hello', LatestTag: 'multi-docker', PushCount: 5, PullCount: 4 }],
    mine: [{ Namespace: 'alice', Image: 'app', LatestTag: '2.0', PushCount: 2, PullCount: 1 }],
    privateTagListForAnonymous: 404,
  });
});

test('the legacy manifest route gives the schema-1 shape the registry itself derives, for Docker and OCI images alike', async () => {
  const fromRegistry = schema1.body;
  const history = (entries: { v1Compatibility: string }[]) =>
    entries.map((entry, i) => {
      const v1 = JSON.parse(entry.v1Compatibility);
      // The newest entry carries the image config; the others the step that made their layer.
      return i === 0 ? { architecture: v1.architecture, os: v1.os, throwaway: !!v1.throwaway } : { cmd: v1.container_config?.Cmd, throwaway: !!v1.throwaway };
    });
  for (const tag of ['1.0-docker', '1.0']) {
    const { status, body } = await legacy(b(), `/manifests/${tag}/library/hello`);
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ schemaVersion: 1, name: 'library/hello', tag, architecture: 'amd64', fsLayers: fromRegistry.fsLayers });
    expect(history(body.data.history)).toEqual(history(fromRegistry.history));
  }
});

test('deleting a tag through Berth deletes it in the registry, and a digest shared with other tags only with consent', async () => {
  // A repository with a single tag, which goes with it.
  await pushImage('app-2', 'alice/tmp:only', 'oci');
  const tmpArrived = await until(async () => (await repositoryState(b(), 'alice/tmp', admin)) !== 'NOT_FOUND');

  // Every step runs before the first assertion, so one wrong answer does not hide the others' results.
  const refused = await deleteTag(b(), admin, { namespace: 'library', repository: 'hello', tag: '1.0' });
  const tagsAfterRefusal = await listTags(r().url, 'library/hello');
  const alone = await deleteTag(b(), alice, { namespace: 'alice', repository: 'app', tag: '2.0' });
  const shared = await deleteTag(b(), admin, { namespace: 'library', repository: 'hello', tag: '1.0', removeAllTagsOfDigest: true });
  const rest = await legacy(b(), '/manifests/1.0-docker/library/hello', admin, 'DELETE');
  const last = await deleteTag(b(), alice, { namespace: 'alice', repository: 'tmp', tag: 'only' });
  const served = Object.fromEntries(
    await Promise.all(
      [
        ['alice/app', '2.0'],
        ['library/hello', '1.0'],
        ['library/hello', 'stable'],
        ['library/hello', '1.0-docker'],
        ['alice/tmp', 'only'],
      ].map(async ([repository, tag]) => [`${repository}:${tag}`, (await getManifest(r().url, repository, tag)).status]),
    ),
  );
  // The registry's own delete events follow; a pull sent after them, once counted, shows they were all applied.
  await inspect(r().host, 'alice/app:1.0');

  const expectedState = {
    'library/hello': {
      publicity: 'PUBLIC',
      pushCount: 5,
      pullCount: 4,
      latestTag: 'multi-docker',
      tags: {
        multi: await expectedTag(pushed['library/hello:multi'], 1, 1),
        'multi-docker': await expectedTag(pushed['library/hello:multi-docker'], 1, 0),
      },
    },
    'alice/app': { publicity: 'PRIVATE', pushCount: 2, pullCount: 2, latestTag: '1.0', tags: { '1.0': await expectedTag(pushed['alice/app:1.0'], 1, 2) } },
    'alice/tmp': 'NOT_FOUND',
  };
  const state = await eventually(stateOf(['library/hello', 'alice/app', 'alice/tmp']), expectedState);

  // One comparison of every outcome, so a failure shows all that differ.
  const byName = (list: { name: string }[] = []) => [...list].sort((x, y) => x.name.localeCompare(y.name));
  expect({
    refused: { code: refused.errors?.[0]?.extensions?.code, namesSharedTag: /stable/.test(refused.errors?.[0]?.message ?? '') },
    tagsAfterRefusal,
    alone,
    shared: shared.errors ?? { ...shared.data?.deleteTag, tags: byName(shared.data?.deleteTag.tags) },
    rest: { status: rest.status, code: Number(rest.body.code), data: rest.body.data },
    tmpArrived,
    last,
    served,
    registryTags: { 'library/hello': await listTags(r().url, 'library/hello'), 'alice/app': await listTags(r().url, 'alice/app') },
    state,
  }).toEqual({
    refused: { code: 'CONFLICT', namesSharedTag: true },
    tagsAfterRefusal: ['1.0', '1.0-docker', 'multi', 'multi-docker', 'stable'],
    alone: {
      data: { deleteTag: { namespace: 'alice', repository: 'app', repositoryRemoved: false, tags: [{ name: '2.0', digest: pushed['alice/app:2.0'] }] } },
    },
    shared: {
      namespace: 'library',
      repository: 'hello',
      repositoryRemoved: false,
      tags: [
        { name: '1.0', digest: pushed['library/hello:1.0'] },
        { name: 'stable', digest: pushed['library/hello:1.0'] },
      ],
    },
    rest: { status: 200, code: 0, data: 'success' },
    tmpArrived: true,
    last: { data: { deleteTag: { namespace: 'alice', repository: 'tmp', repositoryRemoved: true, tags: [{ name: 'only', digest: pushed['alice/tmp:only'] }] } } },
    served: { 'alice/app:2.0': 404, 'library/hello:1.0': 404, 'library/hello:stable': 404, 'library/hello:1.0-docker': 404, 'alice/tmp:only': 404 },
    registryTags: { 'library/hello': ['multi', 'multi-docker'], 'alice/app': ['1.0'] },
    state: expectedState,
  });
});

test('a delete the registry cannot carry out changes nothing in Berth and names the cause', async () => {
  await r().halt();
  const failed = await deleteTag(b(), alice, { namespace: 'alice', repository: 'app', tag: '1.0' });
  expect(failed.errors?.[0]?.extensions?.code).toBe('UPSTREAM_FAILURE');
  expect(failed.errors?.[0]?.message).toMatch(/refused|unreachable|connect/i);
  expect(Object.keys(((await repositoryState(b(), 'alice/app', admin)) as RepositoryState).tags)).toEqual(['1.0']);
});

test('events lost while Berth refused them and the registry restarted are recovered by sync', async () => {
  // A wrong secret: Berth must refuse every delivery, and the registry keeps them queued...
  await r().start({ notify: { url: webhook().url, secret: `not-${secret}` } });
  await pushImage('app-3', 'alice/app:3.0', 'oci');
  await pushImage('world', 'library/world:1.0', 'oci');
  expect(await deleteManifest(r().url, 'library/hello', pushed['library/hello:multi-docker'])).toBe(202);
  expect(await until(async () => /401 Unauthorized/.test(await r().log()))).toBe(true);
  // ...until a restart drops the queue, as Distribution does.
  await r().start({ notify: webhook() });
  const pullsOf = async (fullName: string, tag: string) => ((await repositoryState(b(), fullName, admin)) as RepositoryState).tags[tag]?.pullCount;
  const before = await pullsOf('alice/app', '1.0');
  await inspect(r().host, 'alice/app:1.0');
  // Delivered in order, so once this pull is counted anything still queued from before the restart would have arrived.
  expect(await eventually(() => pullsOf('alice/app', '1.0'), before + 1)).toBe(before + 1);
  expect(Object.keys(((await repositoryState(b(), 'alice/app', admin)) as RepositoryState).tags)).toEqual(['1.0']);
  expect(await repositoryState(b(), 'library/world', admin)).toBe('NOT_FOUND');

  const read = stateOf(['library/hello', 'alice/app', 'library/world']);
  const missed = (await read()) as Record<string, RepositoryState>;
  expect((await syncRegistry(b(), alice)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  // library/world and alice/app:3.0 added, library/hello:multi-docker removed.
  expect(await syncRegistry(b(), admin)).toEqual({
    data: { syncRegistry: { repositoriesAdded: 1, repositoriesRemoved: 0, tagsAdded: 2, tagsMoved: 0, tagsRemoved: 1 } },
  });

  // Sync may fetch manifests after it answers: wait until both recovered tags have their size.
  await until(async () => {
    const state = await read();
    return state['alice/app'] !== 'NOT_FOUND' && state['alice/app'].tags['3.0']?.size > 0 && state['library/world'] !== 'NOT_FOUND' && state['library/world'].tags['1.0']?.size > 0;
  });
  const synced = await read();
  const added = async (digest: string) => ({ ...(await expectedTag(digest, 0, 0)), pushCount: expect.any(Number) });
  const helloBefore = missed['library/hello'];
  const appBefore = missed['alice/app'];
  expect(synced).toEqual({
    // Counters survive the sync; the tag deleted behind Berth's back is gone.
    'library/hello': { ...helloBefore, latestTag: 'multi', tags: { multi: helloBefore.tags.multi } },
    'alice/app': {
      ...appBefore,
      // Whether sync counts what it adds as a push is Berth's choice; that it keeps the pulls is not.
      pushCount: expect.any(Number),
      latestTag: '3.0',
      tags: { '1.0': appBefore.tags['1.0'], '3.0': await added(pushed['alice/app:3.0']) },
    },
    'library/world': { publicity: 'PUBLIC', pushCount: expect.any(Number), pullCount: 0, latestTag: '1.0', tags: { '1.0': await added(pushed['library/world:1.0']) } },
  });
  expect(Object.keys(helloBefore.tags).sort()).toEqual(['multi', 'multi-docker']);
  const recovered = [
    ['alice/app', pushed['alice/app:3.0']],
    ['library/world', pushed['library/world:1.0']],
  ];
  for (const [repository, digest] of recovered) {
    const stored = await storedManifest(r(), digest);
    const shown = async () => {
      const { pushCount: _push, pullCount: _pull, ...view } = (await manifestState(b(), repository, digest, admin)) as any;
      return view;
    };
    expect(await eventually(shown, stored, { holdMs: 0 })).toEqual(stored);
  }

  // alice/tmp lost its last tag through Berth: the registry's catalog still lists it, and sync must not bring it back.
  expect(await repositoryState(b(), 'alice/tmp', admin)).toBe('NOT_FOUND');

  // A second sync finds nothing to change.
  expect(await syncRegistry(b(), admin)).toEqual({
    data: { syncRegistry: { repositoriesAdded: 0, repositoriesRemoved: 0, tagsAdded: 0, tagsMoved: 0, tagsRemoved: 0 } },
  });
  expect(await eventually(read, synced)).toEqual(synced);

  // And the webhook carries on for what sync added.
  await pull(r().host, 'alice/app:3.0');
  expect(await eventually(() => pullsOf('alice/app', '3.0'), 1)).toBe(1);
});

test('the sync command adopts an existing registry into an empty Berth', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'berth-adopt-'));
  let adopted: TestServer | undefined;
  try {
    const run = await berthCli(['sync'], { BERTH_DATA_DIR: dataDir, REGISTRY_URL: r().url, BERTH_DEMO: 'false', LOG_LEVEL: 'warn' });
    expect({ code: run.code, output: run.output }).toEqual({ code: 0, output: expect.any(String) });

    // A Berth over the database the command filled: everything the registry holds, with no pulls counted.
    adopted = await startServer({ dataDir, env: { REGISTRY_URL: r().url } });
    const operator = await addUser(adopted, 'operator', 'admin');
    const read = async (): Promise<Record<string, RepositoryState | 'NOT_FOUND'>> =>
      Object.fromEntries(
        await Promise.all(['library/hello', 'alice/app', 'library/world'].map(async (name) => [name, await repositoryState(adopted!, name, operator)])),
      );
    await until(async () => Object.values(await read()).every((repo) => repo !== 'NOT_FOUND' && Object.values(repo.tags).every((tag) => tag.size > 0)));
    const tag = async (digest: string) => ({ ...(await expectedTag(digest, 0, 0)), pushCount: expect.any(Number) });
    expect(await read()).toEqual({
      'library/hello': { publicity: 'PUBLIC', pushCount: expect.any(Number), pullCount: 0, latestTag: 'multi', tags: { multi: await tag(pushed['library/hello:multi']) } },
      'alice/app': {
        publicity: 'PRIVATE',
        pushCount: expect.any(Number),
        pullCount: 0,
        // The registry keeps no push times, so which of two adopted tags is the latest is Berth's guess.
        latestTag: expect.stringMatching(/^(1\.0|3\.0)$/),
        tags: { '1.0': await tag(pushed['alice/app:1.0']), '3.0': await tag(pushed['alice/app:3.0']) },
      },
      'library/world': { publicity: 'PUBLIC', pushCount: expect.any(Number), pullCount: 0, latestTag: '1.0', tags: { '1.0': await tag(pushed['library/world:1.0']) } },
    });
    // In the registry's catalog, but without tags.
    expect(await repositoryState(adopted, 'alice/tmp', operator)).toBe('NOT_FOUND');
  } finally {
    await adopted?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('deleting a repository through Berth deletes it in the registry, so a sync does not bring it back', async () => {
  const gone = await deleteRepository(b(), admin, { namespace: 'library', repository: 'world' });
  const registryTags = await listTags(r().url, 'library/world');
  const sync = await syncRegistry(b(), admin);
  expect({ gone, registryTags, sync, after: await repositoryState(b(), 'library/world', admin) }).toEqual({
    gone: { data: { deleteRepository: { namespace: 'library', repository: 'world', repositoryRemoved: true, tags: [{ name: '1.0', digest: pushed['library/world:1.0'] }] } } },
    registryTags: [],
    sync: { data: { syncRegistry: { repositoriesAdded: 0, repositoriesRemoved: 0, tagsAdded: 0, tagsMoved: 0, tagsRemoved: 0 } } },
    after: 'NOT_FOUND',
  });
});
