import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, isNotNull } from 'drizzle-orm';
import { parse } from 'yaml';
import { namespaces, registryEvents } from '../../src/db/schema';
import { addToken, addUser, basic, graphql, startServer, type TestServer } from '../support/harness';
import { deleteTag, manifestState, repositoryState } from './support/berth';
import { berthCli } from './support/cli';
import { OciLayout, type ImageSpec } from './support/image';
import { eventually } from '../support/poll';
import { freePort, serveRegistry, type ServedRegistry } from './support/registry';
import { inspect, pull, push } from './support/skopeo';
import { storedManifest } from './support/stored';
import { stopAll } from './support/teardown';
import { getManifest, listTags } from './support/v2';

/**
 * Berth as the registry's token service, set up as an operator does it:
 * Berth runs with PORT (BERTH_URL left to its default) and REGISTRY_URL, and
 * makes its own webhook secret; `berth registry config` prints the
 * registry's config.yml (with that secret) and writes its rootcertbundle;
 * `docker-registry serve` runs on that file untouched. Every client below is skopeo, signing in as an
 * account (password or access token) or not at all, so each grant and
 * refusal is the registry acting on a token Berth issued.
 *
 * Berth runs in this process (the harness, on PORT) so the test can make
 * access tokens and read recorded events in its database; on PGlite it
 * takes the command line's commands through the control socket, as
 * `berth serve` does, so `berth registry config --data-dir …` runs in it; on
 * PostgreSQL (when DATABASE_URL is set) the command line opens the database
 * itself. The tests run in order and build on each other's pushes.
 */

const TTL = 120;
const drivers = ['pglite', ...(process.env.DATABASE_URL ? ['postgres' as const] : [])] as const;

/** What skopeo reports when the registry refuses a token without the action it needed (Distribution's DENIED). */
const refused = /denied: requested access to the resource is denied/;
/** What skopeo reports when Berth's realm answers 401: no token at all. */
const unknownCredentials = /unable to retrieve auth token: invalid username\/password: unauthorized/;

interface Token {
  bearer: string;
  expiresIn: number;
  claims: { sub: string; aud: string; iss: string; iat: number; nbf: number; exp: number; access: { type: string; name: string; actions: string[] }[] };
}

/** The parts of the printed config.yml the registry reads from Berth. */
interface RegistryConfig {
  auth: { token: { realm: string; service: string; issuer: string; rootcertbundle: string } };
  notifications: { endpoints: { url: string; headers: { Authorization: string[] } }[] };
}

describe.each(drivers)('Berth as the token service of a docker-registry (%s)', (driver) => {
  const nonce = randomBytes(8).toString('hex');
  let scratch: string | undefined;
  let berth: TestServer | undefined;
  let registry: ServedRegistry | undefined;
  let config: string;
  let parsed: RegistryConfig;
  let service: string;
  let layoutDir: string;
  /** Bearer headers of each account's WRITE token, for GraphQL. */
  const users: Record<string, string> = {};
  /** What skopeo reported the registry stored, by image reference. */
  const pushed: Record<string, string> = {};

  const b = () => berth!;
  const r = () => registry!;
  const creds = (name: string) => `${name}:${name}-password`;
  const image = (app: string): ImageSpec => ({
    platform: { architecture: 'amd64', os: 'linux' },
    layers: [{ 'etc/os-release': `ID=berth-e2e\nBUILD=${nonce}\n` }, { [`app/${app}.txt`]: `${app} ${nonce}\n` }],
    cmd: [`/app/${app}`],
  });

  /** skopeo copies layout image `ref` to `target` (namespace/name:tag) signed in with `login` (user:password); records the digest. */
  async function pushAs(login: string | undefined, ref: string, target: string): Promise<string> {
    const digest = await push(layoutDir, ref, r().host, target, 'oci', false, login);
    pushed[target] = digest;
    return digest;
  }

  /** The message a skopeo command that should fail failed with (a success fails the test). */
  async function failure(run: Promise<unknown>): Promise<string> {
    try {
      await run;
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('skopeo succeeded where the registry should have refused');
  }

  /** GET /registry/v1/token as a client asks it, with the token's claims decoded. */
  async function token(scopes: string[], authorization?: string): Promise<Token> {
    const url = new URL(`${b().url}/registry/v1/token`);
    url.searchParams.set('service', service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const response = await fetch(url, { headers: authorization ? { authorization } : {} });
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { token: string; expires_in: number };
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString('utf8'));
    return { bearer: `Bearer ${body.token}`, expiresIn: body.expires_in, claims };
  }

  /** The registry's own tag list, read with a pull token Berth gives the admin. */
  async function registryTags(repository: string): Promise<string[]> {
    return listTags(r().url, repository, (await token([`repository:${repository}:pull`], basic('admin', 'admin-password'))).bearer);
  }

  /** The tags Berth shows for a repository, by name and digest (NOT_FOUND until it has one). */
  async function berthTags(repository: string): Promise<Record<string, string> | 'NOT_FOUND'> {
    const state = await repositoryState(b(), repository, users.admin);
    return state === 'NOT_FOUND' ? state : Object.fromEntries(Object.entries(state.tags).map(([tag, { digest }]) => [tag, digest]));
  }

  /** The events Berth recorded for `repository` whose actor is `actor`, as `action tag-or-digest` lines. */
  async function eventsBy(repository: string, actor: string): Promise<string[]> {
    const rows = await b()
      .database.db.select({ action: registryEvents.action, tag: registryEvents.tag, digest: registryEvents.digest, payload: registryEvents.payload })
      .from(registryEvents)
      .where(eq(registryEvents.repository, repository));
    return rows
      .filter(({ payload }) => (payload as { actor?: { name?: string } }).actor?.name === actor)
      .map(({ action, tag, digest }) => `${action} ${tag ?? digest}`)
      .sort();
  }

  /** Who the registry's push events say pushed each tag of `repository`, as Berth recorded them. */
  async function pushers(repository: string): Promise<Record<string, string>> {
    const rows = await b()
      .database.db.select({ tag: registryEvents.tag, payload: registryEvents.payload })
      .from(registryEvents)
      .where(and(eq(registryEvents.repository, repository), eq(registryEvents.action, 'push'), isNotNull(registryEvents.tag)));
    return Object.fromEntries(rows.map(({ tag, payload }) => [tag, (payload as { actor?: { name?: string } }).actor?.name ?? '']));
  }

  const setPublicity = async (publicity: 'PUBLIC' | 'PRIVATE') =>
    (
      await graphql(
        b(),
        'mutation Flip($input: SetPublicityInput!) { setPublicity(input: $input) { repository { fullName publicity } } }',
        { input: { namespace: 'alice', repository: 'app', publicity } },
        basic('alice', 'alice-password'),
      )
    ).body;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'berth-token-service-'));
    const berthPort = await freePort();
    let registryPort = await freePort();
    while (registryPort === berthPort) registryPort = await freePort();
    const listen = `127.0.0.1:${registryPort}`;
    const env = {
      PORT: String(berthPort),
      HOST: '127.0.0.1',
      REGISTRY_URL: `http://${listen}`,
      // Unset: the secret is the one Berth generates, which only the printed config carries.
      BERTH_WEBHOOK_SECRET: '',
      BERTH_TOKEN_TTL: String(TTL),
      BERTH_DEMO: 'false',
    };
    berth = await startServer({ env, driver, controlSocket: true });
    for (const [name, role] of [['admin', 'admin'], ['alice', 'user'], ['bob', 'user']] as const) users[name] = await addUser(berth, name, role);

    // What the operator runs: the config for this Berth, then the registry on it.
    const storage = path.join(scratch, 'storage');
    const certOut = path.join(scratch, 'registry-token-certificates.pem');
    const database: Record<string, string> = berth.dataDir ? { BERTH_DATA_DIR: berth.dataDir } : { DATABASE_URL: berth.databaseUrl! };
    const run = await berthCli(['registry', 'config', '--listen', listen, '--storage', storage, '--cert-out', certOut], { ...env, ...database, LOG_LEVEL: 'warn' });
    if (run.code !== 0) throw new Error(`berth registry config exited ${run.code}:\n${run.output}`);
    config = run.stdout;
    parsed = parse(config);
    service = parsed.auth.token.service;
    const configFile = path.join(scratch, 'config.yml');
    await writeFile(configFile, config);
    registry = await serveRegistry(configFile, { host: listen, storage });

    layoutDir = path.join(scratch, 'layout');
    const layout = new OciLayout(layoutDir);
    for (const app of ['hello', 'app-1', 'app-2', 'bob', 'read', 'write', 'tool']) await layout.addImage(app, image(app));
    await layout.finish();

    // The public and the private image most scenarios read, each pushed by whoever may.
    await pushAs(creds('admin'), 'hello', 'library/hello:1.0');
    await pushAs(creds('alice'), 'app-1', 'alice/app:1.0');
    for (const [repository, tag] of [['library/hello', '1.0'], ['alice/app', '1.0']]) {
      const expected = { [tag]: pushed[`${repository}:${tag}`] };
      expect(await eventually(() => berthTags(repository), expected, { holdMs: 0 })).toEqual(expected);
    }
  });

  afterAll(
    () =>
      stopAll(
        () => registry?.stop(),
        () => berth?.close(),
        () => scratch && rm(scratch, { recursive: true, force: true }),
      ),
  );

  test('berth registry config points the registry at this Berth for tokens and events', async () => {
    const berthUrl = new URL(b().url).origin;
    const [endpoint] = parsed.notifications.endpoints;
    expect({
      realm: parsed.auth.token.realm,
      issuer: parsed.auth.token.issuer,
      rootcertbundle: parsed.auth.token.rootcertbundle,
      notifications: endpoint.url,
      authorization: endpoint.headers.Authorization,
      // Berth's REGISTRY_URL is the address the registry listens on, so the config asks nothing more of the operator.
      asksForRegistryUrl: config.includes('start Berth with REGISTRY_URL'),
    }).toEqual({
      realm: `${berthUrl}/registry/v1/token`,
      issuer: b().app.services.registryTokens.settings.issuer,
      rootcertbundle: path.join(scratch!, 'registry-token-certificates.pem'),
      notifications: `${berthUrl}/registry/v1/notifications`,
      authorization: [`Bearer ${await b().app.services.webhookSecrets.current()}`],
      asksForRegistryUrl: false,
    });
    expect(endpoint.headers.Authorization[0]).toMatch(/^Bearer [\w-]{43}$/);
    expect(service).toBe(b().app.services.registryTokens.settings.service);
  });

  test('a delivery without the secret is refused and records nothing; the registry, delivering with it, is heard', async () => {
    const planted = {
      events: [{ id: `planted-${nonce}`, timestamp: new Date().toISOString(), action: 'push', target: { repository: 'library/planted', mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: pushed['library/hello:1.0'], tag: 'latest' } }],
    };
    const answer = await fetch(`${b().url}/registry/v1/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(planted) });
    expect(answer.status).toBe(401);
    expect(await berthTags('library/planted')).toBe('NOT_FOUND');
    // beforeAll saw both pushes arrive as events: the registry's deliveries carry the printed secret.
    expect(await eventsBy('library/hello', 'admin')).toContain(`push 1.0`);
  });

  test('a name with a registry host before the path is not the path: bob cannot push localhost/bob/x', async () => {
    for (const target of ['localhost/bob/x:1', 'bob.evil/bob/x:1']) {
      expect(await failure(pushAs(creds('bob'), 'bob', target))).toMatch(refused);
    }
    expect(await registryTags('localhost/bob/x')).toEqual([]);
  });

  test('anonymous pulls a public image and is refused a private one', async () => {
    expect((await inspect(r().host, 'library/hello:1.0')).Digest).toBe(pushed['library/hello:1.0']);
    await pull(r().host, 'library/hello:1.0');
    expect(await failure(inspect(r().host, 'alice/app:1.0'))).toMatch(refused);
    expect(await failure(pull(r().host, 'alice/app:1.0'))).toMatch(refused);
    expect(await failure(pushAs(undefined, 'hello', 'library/hello:anonymous'))).toMatch(refused);
    expect((await repositoryState(b(), 'alice/app', users.alice)) as { publicity: string }).toMatchObject({ publicity: 'PRIVATE' });
  });

  test('the owner pushes and pulls her private repository with her password', async () => {
    const digest = await pushAs(creds('alice'), 'app-2', 'alice/app:2.0');
    expect((await inspect(r().host, 'alice/app:2.0', creds('alice'))).Digest).toBe(digest);
    await pull(r().host, 'alice/app:1.0', false, creds('alice'));
    const expected = { '1.0': pushed['alice/app:1.0'], '2.0': digest };
    expect(await eventually(() => berthTags('alice/app'), expected, { holdMs: 0 })).toEqual(expected);
  });

  test("another user can neither push into alice's namespace nor pull her private image", async () => {
    expect(await failure(pushAs(creds('bob'), 'bob', 'alice/app:bob'))).toMatch(refused);
    expect(await failure(pushAs(creds('bob'), 'bob', 'alice/bobs:1.0'))).toMatch(refused);
    expect(await failure(inspect(r().host, 'alice/app:1.0', creds('bob')))).toMatch(refused);
    expect(await failure(pull(r().host, 'alice/app:1.0', false, creds('bob')))).toMatch(refused);
    // A wrong password gets no token at all: Berth's realm answers 401.
    expect(await failure(inspect(r().host, 'library/hello:1.0', 'bob:wrong-password'))).toMatch(unknownCredentials);
    // Bob signs in fine: in his own namespace he pushes.
    const digest = await pushAs(creds('bob'), 'bob', 'bob/app:1.0');
    expect(await registryTags('alice/app')).toEqual(['1.0', '2.0']);
    expect(await registryTags('alice/bobs')).toEqual([]);
    expect(await registryTags('bob/app')).toEqual(['1.0']);
    expect(await eventually(() => berthTags('bob/app'), { '1.0': digest }, { holdMs: 0 })).toEqual({ '1.0': digest });
  });

  test('a READ access token pulls but cannot push; a WRITE token pushes', async () => {
    const read = `alice:${await addToken(b(), 'alice', 'read')}`;
    const write = `alice:${await addToken(b(), 'alice', 'write')}`;
    expect((await inspect(r().host, 'alice/app:1.0', read)).Digest).toBe(pushed['alice/app:1.0']);
    await pull(r().host, 'alice/app:1.0', false, read);
    expect(await failure(pushAs(read, 'read', 'alice/app:read'))).toMatch(refused);
    // A token signs in only as its own account.
    expect(await failure(inspect(r().host, 'library/hello:1.0', `bob:${write.slice('alice:'.length)}`))).toMatch(unknownCredentials);
    const digest = await pushAs(write, 'write', 'alice/app:write');
    expect(await registryTags('alice/app')).toEqual(['1.0', '2.0', 'write']);
    const expected = { '1.0': pushed['alice/app:1.0'], '2.0': pushed['alice/app:2.0'], write: digest };
    expect(await eventually(() => berthTags('alice/app'), expected, { holdMs: 0 })).toEqual(expected);
  });

  test("the admin's token lists the registry's catalog; a user's does not", async () => {
    const admin = await token(['registry:catalog:*'], basic('admin', 'admin-password'));
    const alice = await token(['registry:catalog:*'], basic('alice', 'alice-password'));
    expect([admin.claims.access, alice.claims.access]).toEqual([
      [{ type: 'registry', name: 'catalog', actions: ['*'] }],
      [{ type: 'registry', name: 'catalog', actions: [] }],
    ]);
    const catalog = async (authorization: string) => {
      const response = await fetch(`${r().url}/v2/_catalog`, { headers: { authorization } });
      return { status: response.status, body: (await response.json()) as { repositories?: string[] } };
    };
    expect(await catalog(admin.bearer)).toEqual({ status: 200, body: { repositories: ['alice/app', 'bob/app', 'library/hello'] } });
    expect((await catalog(alice.bearer)).status).toBe(401);
  });

  test('a publicity change governs every token issued after it; one issued before lasts until it expires', async () => {
    expect(await failure(inspect(r().host, 'alice/app:1.0'))).toMatch(refused);
    expect(await setPublicity('PUBLIC')).toEqual({ data: { setPublicity: { repository: { fullName: 'alice/app', publicity: 'PUBLIC' } } } });
    expect((await inspect(r().host, 'alice/app:1.0')).Digest).toBe(pushed['alice/app:1.0']);
    const before = await token(['repository:alice/app:pull']);

    expect(await setPublicity('PRIVATE')).toEqual({ data: { setPublicity: { repository: { fullName: 'alice/app', publicity: 'PRIVATE' } } } });
    expect(await failure(inspect(r().host, 'alice/app:1.0'))).toMatch(refused);
    const after = await token(['repository:alice/app:pull']);
    expect([before.claims.access, after.claims.access]).toEqual([
      [{ type: 'repository', name: 'alice/app', actions: ['pull'] }],
      [{ type: 'repository', name: 'alice/app', actions: [] }],
    ]);
    // The registry checks a token's signature and exp, never Berth: one issued while the repository was public
    // still pulls, for at most BERTH_TOKEN_TTL seconds. That lifetime is the bound on a change reaching old tokens.
    expect((await getManifest(r().url, 'alice/app', '1.0', undefined, before.bearer)).digest).toBe(pushed['alice/app:1.0']);
    expect((await getManifest(r().url, 'alice/app', '1.0', undefined, after.bearer)).status).toBe(401);
    expect({ sub: before.claims.sub, lifetime: before.claims.exp - before.claims.iat, expiresIn: before.expiresIn }).toEqual({ sub: '', lifetime: TTL, expiresIn: TTL });
  });

  test('pushes arrive as events naming the pusher; an admin push makes a new namespace nobody owns', async () => {
    expect(await pushers('alice/app')).toEqual({ '1.0': 'alice', '2.0': 'alice', write: 'alice' });
    expect(await pushers('library/hello')).toEqual({ '1.0': 'admin' });

    const digest = await pushAs(creds('admin'), 'tool', 'acme/tool:1.0');
    expect(await eventually(() => berthTags('acme/tool'), { '1.0': digest }, { holdMs: 0 })).toEqual({ '1.0': digest });
    expect(await pushers('acme/tool')).toEqual({ '1.0': 'admin' });
    const [acme] = await b().database.db.select({ ownerId: namespaces.ownerId }).from(namespaces).where(eq(namespaces.name, 'acme'));
    // An admin's push outside their own namespace leaves the new one to nobody, so it does not use up the admin's one namespace.
    expect(acme).toEqual({ ownerId: null });
    // Nobody owns acme, so it is the admins' alone.
    expect(await failure(pushAs(creds('alice'), 'tool', 'acme/tool:alice'))).toMatch(refused);
  });

  test("Berth's own registry calls use tokens it mints itself: manifests fetched, a tag deleted", async () => {
    // Berth runs without REGISTRY_USERNAME / REGISTRY_PASSWORD, and alice/app is private: an anonymous token could not have fetched it.
    const stored = await storedManifest(r(), pushed['alice/app:2.0']);
    const shown = async () => {
      const { pushCount: _push, pullCount: _pull, ...view } = (await manifestState(b(), 'alice/app', '2.0', users.alice)) as typeof stored & { pushCount: number; pullCount: number };
      return view;
    };
    expect(await eventually(shown, stored, { holdMs: 0 })).toEqual(stored);

    expect(await deleteTag(b(), users.alice, { namespace: 'alice', repository: 'app', tag: '2.0' })).toEqual({
      data: { deleteTag: { namespace: 'alice', repository: 'app', repositoryRemoved: false, tags: [{ name: '2.0', digest: pushed['alice/app:2.0'] }] } },
    });
    expect(await registryTags('alice/app')).toEqual(['1.0', 'write']);
    const reader = (await token(['repository:alice/app:pull'], basic('alice', 'alice-password'))).bearer;
    expect((await getManifest(r().url, 'alice/app', pushed['alice/app:2.0'], undefined, reader)).status).toBe(404);

    // The registry names each token's subject as the actor of its events: Berth's own are @berth.
    const digest = pushed['alice/app:2.0'];
    const own = [`delete ${digest}`, 'delete 2.0', `pull ${digest}`, `pull ${stored.config!.digest}`].sort();
    const berthEvents = async () => (await eventsBy('alice/app', '@berth')).filter((event) => own.includes(event));
    expect(await eventually(berthEvents, own, { holdMs: 0 })).toEqual(own);
  });
});
