import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { addUser, startServer, type TestServer } from '../support/harness';
import { manifestState, repositoryState, type RepositoryState } from './support/berth';
import { OciLayout, type Platform } from './support/image';
import { eventually } from '../support/poll';
import { createRegistry, type Registry } from './support/registry';
import { pull, push } from './support/skopeo';
import { storedManifest } from './support/stored';

/**
 * Two Berth processes sharing one PostgreSQL database, each an endpoint of the
 * same registry: every event reaches both, at nearly the same moment and with
 * the same id, so anything recorded twice shows up as a count off by double.
 * Needs the PostgreSQL server at DATABASE_URL (always there in CI).
 */
const adminUrl = process.env.DATABASE_URL;
const suite = adminUrl || process.env.CI === 'true' ? describe : describe.skip;

suite('two Berth processes on one database', () => {
  const secret = randomBytes(16).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const databaseName = `berth_e2e_shared_${randomBytes(4).toString('hex')}`;
  let admin: ReturnType<typeof postgres> | undefined;
  let registry: Registry | undefined;
  const berths: TestServer[] = [];
  let layoutDir: string | undefined;
  let operator: string;
  const pushed: Record<string, string> = {};

  const amd64: Platform = { architecture: 'amd64', os: 'linux' };
  const image = (app: string, platform = amd64) => ({
    platform,
    layers: [{ 'etc/os-release': `ID=berth-e2e\nBUILD=${nonce}\n` }, { [`app/${app}.txt`]: `${app} ${nonce}\n` }],
    cmd: [`/app/${app}`],
  });

  beforeAll(async () => {
    admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${databaseName}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${databaseName}`;
    registry = await createRegistry();
    // One after the other, so the second finds the migrations applied.
    for (let i = 0; i < 2; i++) {
      berths.push(await startServer({ databaseUrl: url.toString(), env: { REGISTRY_URL: registry.url, BERTH_WEBHOOK_SECRET: secret } }));
    }
    operator = await addUser(berths[0], 'operator', 'admin');
    await registry.start({ notify: berths.map((berth) => ({ url: `${berth.url}/registry/v1/notifications`, secret })) });

    layoutDir = await mkdtemp(path.join(tmpdir(), 'berth-layout-'));
    const layout = new OciLayout(layoutDir);
    await layout.addImage('hello', image('hello'));
    await layout.addIndex('multi', [image('multi'), image('multi', { architecture: 'arm64', os: 'linux', variant: 'v8' })]);
    await layout.finish();
  });

  afterAll(async () => {
    try {
      await registry?.stop();
      for (const berth of berths) await berth.close();
    } finally {
      if (layoutDir) await rm(layoutDir, { recursive: true, force: true });
      await admin?.unsafe(`drop database if exists ${databaseName} with (force)`);
      await admin?.end();
    }
  });

  test('every event delivered to both counts once, and both answer the same', async () => {
    const host = registry!.host;
    for (const [ref, target, all] of [
      ['hello', 'library/hello:1.0', false],
      ['hello', 'library/hello:stable', false],
      ['multi', 'library/hello:multi', true],
    ] as const) {
      pushed[target] = await push(layoutDir!, ref, host, target, 'oci', all);
    }
    await pull(host, 'library/hello:1.0');
    await pull(host, 'library/hello:1.0');
    await pull(host, 'library/hello:multi', true);

    const tag = async (digest: string, pushCount: number, pullCount: number) => {
      const { mediaType, size } = await storedManifest(registry!, digest);
      return { digest, mediaType, size, pushCount, pullCount };
    };
    const expected: RepositoryState = {
      publicity: 'PUBLIC',
      pushCount: 3,
      pullCount: 3,
      latestTag: 'multi',
      tags: {
        '1.0': await tag(pushed['library/hello:1.0'], 2, 2),
        stable: await tag(pushed['library/hello:1.0'], 2, 2),
        multi: await tag(pushed['library/hello:multi'], 1, 1),
      },
    };
    const seen = async () => Promise.all(berths.map((berth) => repositoryState(berth, 'library/hello', operator)));
    expect(await eventually(seen, [expected, expected], { holdMs: 2_000 })).toEqual([expected, expected]);

    // Manifest bodies fetched once, whichever process claimed them; each child pushed once and pulled once (by digest).
    const index = await storedManifest(registry!, pushed['library/hello:multi']);
    const counted: [string, number, number][] = [
      [pushed['library/hello:1.0'], 2, 2],
      [pushed['library/hello:multi'], 1, 1],
      ...index.children.map((child): [string, number, number] => [child.digest, 1, 1]),
    ];
    const manifests = async () =>
      Promise.all(counted.map(async ([digest]) => manifestState(berths[1], 'library/hello', digest, operator)));
    const expectedManifests = await Promise.all(
      counted.map(async ([digest, pushCount, pullCount]) => ({ ...(await storedManifest(registry!, digest)), pushCount, pullCount })),
    );
    expect(await eventually(manifests, expectedManifests, { holdMs: 0 })).toEqual(expectedManifests);
  });
});
