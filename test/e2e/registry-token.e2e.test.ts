import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addUser, startServer, type TestServer } from '../support/harness';
import { deleteTag, manifestState, repositoryState, syncRegistry } from './support/berth';
import { OciLayout, type Platform } from './support/image';
import { eventually } from '../support/poll';
import { createRegistry, type Registry } from './support/registry';
import { push } from './support/skopeo';
import { storedManifest } from './support/stored';
import { getManifest } from './support/v2';
import { startTokenServer, type TokenServer } from './support/token-server';
import { stopAll } from './support/teardown';

/**
 * Berth against a registry behind Distribution's token auth: every request it
 * makes (manifest fetches, deletes, the catalog) must follow the Bearer
 * challenge to the realm with the account from REGISTRY_USERNAME/PASSWORD.
 */

const secret = randomBytes(16).toString('hex');
const nonce = randomBytes(8).toString('hex');
const berthPassword = randomBytes(12).toString('hex');
const alice = 'alice:alice-password';

let tokens: TokenServer | undefined;
let registry: Registry | undefined;
let berth: TestServer | undefined;
let layoutDir: string | undefined;
let admin: string;
const pushed: Record<string, string> = {};

const r = () => registry!;
const b = () => berth!;
const amd64: Platform = { architecture: 'amd64', os: 'linux' };
const image = (app: string, platform = amd64) => ({
  platform,
  layers: [{ 'etc/os-release': `ID=berth-e2e\nBUILD=${nonce}\n` }, { [`app/${app}.txt`]: `${app} ${nonce}\n` }],
  cmd: [`/app/${app}`],
});

async function pushImage(ref: string, target: string, all = false) {
  pushed[target] = await push(layoutDir!, ref, r().host, target, 'oci', all, alice);
}

/** The token requests Berth's account made, as `status scope` lines. */
const berthGrants = () => tokens!.grants.filter((g) => g.account === 'berth').flatMap((g) => g.scopes.map((scope) => `${g.status} ${scope}`));

beforeAll(async () => {
  tokens = await startTokenServer({ alice: 'alice-password', berth: berthPassword });
  registry = await createRegistry();
  berth = await startServer({
    env: { REGISTRY_URL: registry.url, BERTH_WEBHOOK_SECRET: secret, REGISTRY_USERNAME: 'berth', REGISTRY_PASSWORD: berthPassword },
  });
  admin = await addUser(berth, 'admin', 'admin');
  await registry.start({ notify: { url: `${berth.url}/registry/v1/notifications`, secret }, auth: tokens.auth });

  layoutDir = await mkdtemp(path.join(tmpdir(), 'berth-layout-'));
  const layout = new OciLayout(layoutDir);
  await layout.addImage('hello', image('hello'));
  await layout.addIndex('multi', [image('multi'), image('multi', { architecture: 'arm64', os: 'linux', variant: 'v8' })]);
  await layout.addImage('world', image('world'));
  await layout.finish();
});

afterAll(
  () =>
    stopAll(
      () => registry?.stop(),
      () => berth?.close(),
      () => tokens?.stop(),
      () => layoutDir && rm(layoutDir, { recursive: true, force: true }),
    ),
);

test('behind token auth, Berth fetches what was pushed with a pull token for its configured account', async () => {
  await pushImage('hello', 'library/hello:1.0');
  await pushImage('multi', 'library/hello:multi', true);
  const index = await storedManifest(r(), pushed['library/hello:multi']);
  const digests = [pushed['library/hello:1.0'], pushed['library/hello:multi'], ...index.children.map((c) => c.digest)];
  const expected = Object.fromEntries(await Promise.all(digests.map(async (d) => [d, await storedManifest(r(), d)])));
  const shown = async () =>
    Object.fromEntries(
      await Promise.all(
        digests.map(async (d) => {
          const { pushCount: _push, pullCount: _pull, ...view } = (await manifestState(b(), 'library/hello', d, admin)) as any;
          return [d, view];
        }),
      ),
    );
  expect(await eventually(shown, expected, { holdMs: 0 })).toEqual(expected);
  expect(berthGrants()).toContain('200 repository:library/hello:pull');
  expect(berthGrants().filter((g) => g.startsWith('401'))).toEqual([]);
});

test('a tag deleted through Berth is deleted in the registry with a delete token', async () => {
  const deleted = await deleteTag(b(), admin, { namespace: 'library', repository: 'hello', tag: '1.0' });
  const reader = tokens!.bearer('alice', ['repository:library/hello:pull']);
  expect({
    deleted,
    served: (await getManifest(r().url, 'library/hello', '1.0', undefined, reader)).status,
    deleteToken: berthGrants().some((g) => /^200 repository:library\/hello:.*(delete|\*)/.test(g)),
  }).toEqual({
    deleted: {
      data: { deleteTag: { namespace: 'library', repository: 'hello', repositoryRemoved: false, tags: [{ name: '1.0', digest: pushed['library/hello:1.0'] }] } },
    },
    served: 404,
    deleteToken: true,
  });
});

test('sync reads the catalog with a catalog token and recovers a push the webhook never saw', async () => {
  await r().start({ notify: null, auth: tokens!.auth });
  await pushImage('world', 'library/world:1.0');
  expect(await repositoryState(b(), 'library/world', admin)).toBe('NOT_FOUND');

  expect((await syncRegistry(b(), admin)).errors).toBeUndefined();
  const { mediaType, size } = await storedManifest(r(), pushed['library/world:1.0']);
  const world = await eventually(
    async () => {
      const state = await repositoryState(b(), 'library/world', admin);
      return state === 'NOT_FOUND' ? state : { ...state.tags['1.0'], pushCount: 0 };
    },
    { digest: pushed['library/world:1.0'], mediaType, size, pushCount: 0, pullCount: 0 },
    { holdMs: 0 },
  );
  expect(world).toEqual({ digest: pushed['library/world:1.0'], mediaType, size, pushCount: 0, pullCount: 0 });
  expect(berthGrants()).toContain('200 registry:catalog:*');
});

test('with a wrong registry password, sync fails with an upstream error that says the registry refused Berth', async () => {
  const refused = await startServer({ env: { REGISTRY_URL: r().url, REGISTRY_USERNAME: 'berth', REGISTRY_PASSWORD: 'wrong' } });
  try {
    const result = await syncRegistry(refused, await addUser(refused, 'admin', 'admin'));
    expect(result.errors?.[0]?.extensions?.code).toBe('UPSTREAM_FAILURE');
    expect(result.errors?.[0]?.message).toMatch(/401|unauthori[sz]ed|credential|password|denied/i);
  } finally {
    await refused.close();
  }
});
