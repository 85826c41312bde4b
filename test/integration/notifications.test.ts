import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/config';
import { accounts, namespaces, registryEvents } from '../../src/db/schema';
import { MAX_EVENTS } from '../../src/ingest/envelope';
import { buildApp } from '../../src/server';
import { addUser, basic, graphql, startServer } from '../support/harness';
import { between, byFile, CAPTURED_SECRET, deliver, deliverAll, variant } from '../support/registry-events';
import { DIGEST } from '../support/replay-registry';

const REPOSITORIES = `{
  repositories(first: 50, orderBy: { field: NAME, direction: ASC }) {
    nodes {
      fullName publicity pushCount pullCount latestTag { name }
      tags(first: 50) { nodes { name digest pushCount pullCount } }
    }
  }
}`;

interface RepositoryView {
  fullName: string;
  publicity: string;
  pushCount: number;
  pullCount: number;
  latestTag: { name: string } | null;
  tags: { nodes: { name: string; digest: string; pushCount: number; pullCount: number }[] };
}

async function start(env: NodeJS.ProcessEnv = {}) {
  const server = await startServer({ env: { BERTH_WEBHOOK_SECRET: CAPTURED_SECRET, ...env } });
  const admin = await addUser(server, 'root', 'admin');
  const view = async () => {
    const { body } = await graphql<{ repositories: { nodes: RepositoryView[] } }>(server, REPOSITORIES, {}, admin);
    expect(body.errors).toBeUndefined();
    return new Map(body.data!.repositories.nodes.map((r) => [r.fullName, r]));
  };
  const tagsOf = async (fullName: string) => Object.fromEntries((await view()).get(fullName)!.tags.nodes.map((t) => [t.name, t]));
  return { server, admin, view, tagsOf };
}

const PUSHES = between('push-oci-manifest', 'capture-read');
const PULLS = between('capture-read', 'delete-via-api');
const DELETES = between('delete-via-api');

describe('the captured scenario, delivered as the registry delivered it', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start();
  });
  afterAll(() => ctx.server.close());

  test('pushes create repositories (library public, others private), tags, and exact push counts', async () => {
    // library/hello: six pushes by tag; the four children of the two indexes, pushed by digest, count for themselves only.
    await deliverAll(ctx.server, PUSHES);
    const repositories = await ctx.view();
    expect([...repositories.keys()].sort()).toEqual(['alice/app', 'bob/tmp', 'library/hello']);
    const library = repositories.get('library/hello')!;
    expect(library).toMatchObject({ publicity: 'PUBLIC', pushCount: 6, pullCount: 0, latestTag: { name: '1.0' } });
    expect(repositories.get('alice/app')).toMatchObject({ publicity: 'PRIVATE', pushCount: 4, latestTag: { name: 'stable' } });
    expect(repositories.get('bob/tmp')).toMatchObject({ publicity: 'PRIVATE', pushCount: 1, latestTag: { name: 'only' } });
    const tags = await ctx.tagsOf('library/hello');
    expect(Object.fromEntries(Object.entries(tags).map(([name, t]) => [name, t.digest]))).toEqual({
      '1.0': DIGEST.ociManifest,
      '1.0-v2s2': DIGEST.schema2,
      latest: DIGEST.ociManifest,
      multi: DIGEST.ociIndex,
      'multi-v2s2': DIGEST.dockerList,
    });
    // 1.0, latest, the index child and the identical re-push all pushed this digest.
    expect(tags['1.0'].pushCount).toBe(4);
    expect(tags['1.0-v2s2'].pushCount).toBe(2);
    expect((await ctx.tagsOf('alice/app')).stable.digest).toBe(DIGEST.aliceStable);
  });

  test('GET pulls of a manifest count for the tags on its digest; HEAD requests and blob pulls do not', async () => {
    await deliverAll(ctx.server, PULLS);
    const tags = await ctx.tagsOf('library/hello');
    // 1.0: 7 GETs by tag in the capture's read step, one more, skopeo inspect, and 3 by digest; the HEADs are left out.
    expect(tags['1.0'].pullCount).toBe(12);
    expect(tags.latest.pullCount).toBe(12);
    expect(tags['1.0-v2s2'].pullCount).toBe(15);
    expect(tags.multi.pullCount).toBe(10);
    expect(tags['multi-v2s2'].pullCount).toBe(9);
    expect((await ctx.view()).get('alice/app')!.pullCount).toBe(0);
  });

  test('digest deletes remove every tag on the digest, and an emptied repository goes', async () => {
    await deliverAll(ctx.server, DELETES);
    const repositories = await ctx.view();
    expect([...repositories.keys()].sort()).toEqual(['alice/app', 'library/hello']);
    expect(Object.keys(await ctx.tagsOf('library/hello')).sort()).toEqual(['multi', 'multi-v2s2']);
    expect(Object.keys(await ctx.tagsOf('alice/app')).sort()).toEqual(['1.0', 'stable']);
    expect(repositories.get('library/hello')!.latestTag).toEqual({ name: 'multi-v2s2' });
    // Counters of what is left are kept.
    expect(repositories.get('alice/app')!.pushCount).toBe(4);
    expect(repositories.get('alice/app')!.pullCount).toBe(1);
  });
});

describe('delivery problems the registry really has', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeEach(async () => {
    ctx = await start();
  });
  afterEach(() => ctx.server.close());

  test('a retried delivery counts once, whether sequential or concurrent', async () => {
    const push = byFile('0003');
    const pull = byFile('0044');
    expect((await deliver(ctx.server, push)).body.data).toEqual({ recorded: 1, duplicates: 0 });
    expect((await deliver(ctx.server, push)).body.data).toEqual({ recorded: 0, duplicates: 1 });
    const answers = await Promise.all([1, 2, 3, 4].map(() => deliver(ctx.server, pull)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.reduce((sum, a) => sum + a.body.data!.recorded, 0)).toBe(1);
    const library = (await ctx.view()).get('library/hello')!;
    expect(library).toMatchObject({ pushCount: 1, pullCount: 1 });
    expect(library.tags.nodes[0]).toMatchObject({ name: '1.0', pushCount: 1, pullCount: 1 });
  });

  test('pulls delivered all at once, each twice, count exactly as when delivered one by one', async () => {
    await deliverAll(ctx.server, PUSHES);
    const answers = await Promise.all(PULLS.flatMap((envelope) => [envelope, envelope]).map((envelope) => deliver(ctx.server, envelope)));
    expect(answers.map((a) => a.status)).toEqual(Array(PULLS.length * 2).fill(200));
    // Every event is recorded by exactly one of its two deliveries.
    const recorded = answers.reduce((sum, a) => sum + a.body.data!.recorded, 0);
    const duplicates = answers.reduce((sum, a) => sum + a.body.data!.duplicates, 0);
    const events = PULLS.reduce((sum, e) => sum + JSON.parse(e.body).events.length, 0);
    expect([recorded, duplicates]).toEqual([events, events]);
    const tags = await ctx.tagsOf('library/hello');
    expect([tags['1.0'].pullCount, tags.latest.pullCount, tags['1.0-v2s2'].pullCount, tags.multi.pullCount, tags['multi-v2s2'].pullCount]).toEqual([12, 12, 15, 10, 9]);
    // Repository counters too, where a pull of an index's child by digest counts for the manifest only.
    const sequential = await start();
    try {
      await deliverAll(sequential.server, [...PUSHES, ...PULLS]);
      expect(await ctx.view()).toEqual(await sequential.view());
    } finally {
      await sequential.server.close();
    }
  });

  test('pulls delivered before their push count when the push arrives', async () => {
    const pull = JSON.parse(byFile('0044').body).events[0];
    const pulls = (count: number) => Array.from({ length: count }, () => JSON.stringify({ events: [{ ...pull, id: randomUUID() }] }));
    for (const envelope of pulls(30)) expect((await deliver(ctx.server, envelope)).status).toBe(200);
    expect((await ctx.view()).size).toBe(0);
    await deliverAll(ctx.server, PUSHES);
    for (const envelope of pulls(10)) expect((await deliver(ctx.server, envelope)).status).toBe(200);
    const hello = (await ctx.view()).get('library/hello')!;
    const tag = hello.tags.nodes.find((t) => t.digest === pull.target.digest)!;
    expect(tag.pullCount).toBe(40);
    expect(hello.pullCount).toBe(40);
  });

  test('every delivery order, with re-deliveries, counts as delivering in order', async () => {
    const inOrder = await start();
    try {
      await deliverAll(inOrder.server, [...PUSHES, ...PULLS]);
      const expected = await inOrder.view();
      // Pulls first, then pushes, every one of them twice, half of them at once.
      const shuffled = [...PULLS, ...PUSHES.slice().reverse()].flatMap((envelope) => [envelope, envelope]);
      const half = Math.floor(shuffled.length / 2);
      await Promise.all(shuffled.slice(0, half).map((envelope) => deliver(ctx.server, envelope)));
      for (const envelope of shuffled.slice(half)) await deliver(ctx.server, envelope);
      expect(await ctx.view()).toEqual(expected);
    } finally {
      await inOrder.server.close();
    }
  });

  test('a size Berth does not know yet is null in GraphQL and 0 on the legacy routes', async () => {
    await deliverAll(ctx.server, PUSHES);
    const { body } = await graphql<any>(ctx.server, '{ repository(namespace: "library", name: "hello") { tags(first: 20) { nodes { name size manifest { size } } } } }', {}, ctx.admin);
    const sizes = Object.fromEntries(body.data.repository.tags.nodes.map((t: any) => [t.name, [t.size, t.manifest.size]]));
    // The registry's events list no layers (without includereferences), and no registry is configured here to read them from.
    expect(sizes['1.0']).toEqual([null, null]);
    expect(sizes.multi).toEqual([null, null]);
    const legacy: any = await (await fetch(`${ctx.server.url}/registry/v1/tag/list/library/hello`, { headers: { authorization: ctx.admin } })).json();
    const multi = JSON.stringify(legacy).match(/\{[^{}]*"multi"[^{}]*\}/)![0];
    expect(JSON.parse(multi)).toMatchObject({ Size: 0 });
  });

  test('two Berth processes sharing the database count a delivery they both receive once', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', BERTH_WEBHOOK_SECRET: CAPTURED_SECRET });
    const other = await buildApp({ config, database: ctx.server.database });
    await other.http.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = other.http.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const second = { ...ctx.server, url };
      for (const envelope of PUSHES.slice(0, 3).concat(PULLS.slice(0, 5))) {
        const answers = await Promise.all([deliver(ctx.server, envelope), deliver(second, envelope)]);
        expect(answers.map((a) => a.status)).toEqual([200, 200]);
        expect(answers[0].body.data!.recorded + answers[1].body.data!.recorded).toBe(1);
      }
      expect((await ctx.tagsOf('library/hello'))['1.0']).toMatchObject({ pushCount: 1, pullCount: 5 });
    } finally {
      await other.http.close();
    }
  });

  test('a tag moved twice ends on the newest push, in whatever order the pushes arrive', async () => {
    await deliver(ctx.server, byFile('0036'));
    await deliver(ctx.server, byFile('0033'));
    const stable = (await ctx.tagsOf('alice/app')).stable;
    expect(stable.digest).toBe(DIGEST.aliceStable);
    expect((await ctx.view()).get('alice/app')!.pushCount).toBe(2);
  });

  test('a push that arrives after a newer delete of its tag does not bring the tag back', async () => {
    await deliver(ctx.server, byFile('0033'));
    // The tag delete of 0124 happened after every push of the capture.
    await deliver(ctx.server, variant(byFile('0124'), (e) => Object.assign(e.target, { repository: 'alice/app', tag: 'latest' })));
    await deliver(ctx.server, variant(byFile('0027'), (e) => Object.assign(e.target, { tag: 'latest' })));
    expect(Object.keys(await ctx.tagsOf('alice/app'))).toEqual(['stable']);
  });

  test('events of unknown kinds are recorded and answered 200 without changing anything', async () => {
    const unknown = variant(byFile('0003'), (e) => {
      e.id = 'c0ffee00-0000-4000-8000-000000000001';
      e.action = 'replicate';
    });
    const { status, body } = await deliver(ctx.server, unknown);
    expect(status).toBe(200);
    expect(body.data).toEqual({ recorded: 1, duplicates: 0 });
    expect((await ctx.view()).size).toBe(0);
    // Mounts and blob pushes are known, and change nothing either.
    await deliverAll(ctx.server, [byFile('0025'), byFile('0001')]);
    expect((await ctx.view()).size).toBe(0);
  });

  test('a malformed envelope gets 400 with a reason and records none of its events', async () => {
    const valid = JSON.parse(byFile('0003').body).events[0];
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"events": [', /malformed envelope/],
      ['no events', '{"events": []}', /no events/],
      ['not an envelope', '[1, 2]', /JSON object/],
      ['second event without id', JSON.stringify({ events: [valid, { ...valid, id: undefined }] }), /events\[1\]\.id/],
      ['bad timestamp', JSON.stringify({ events: [{ ...valid, timestamp: 'yesterday' }] }), /events\[0\]\.timestamp/],
      ['bad digest', JSON.stringify({ events: [{ ...valid, target: { ...valid.target, digest: 'nope' } }] }), /digest/],
      // PostgreSQL cannot store U+0000: left to the database it would be a 500 on every retry of the registry.
      ['NUL in a field Berth does not read', JSON.stringify({ events: [{ ...valid, request: { ...valid.request, useragent: 'a\u0000b' } }] }), /events\[0\] holds a NUL/],
      ['a lone surrogate', JSON.stringify({ events: [{ ...valid, request: { ...valid.request, useragent: '\ud800' } }] }), /lone surrogate/],
      ['year 0', JSON.stringify({ events: [{ ...valid, timestamp: '0000-01-01T00:00:00Z' }] }), /timestamp is not a real date/],
      ['30 February', JSON.stringify({ events: [{ ...valid, timestamp: '2026-02-30T00:00:00Z' }] }), /timestamp is not a real date/],
      // A push dated 2098 would pin its tag: no real push could ever move it back.
      ['a push from the future', JSON.stringify({ events: [{ ...valid, timestamp: '2098-01-01T00:00:00Z' }] }), /timestamp is more than 15 minutes ahead/],
      ['a tag of 10,000 characters', JSON.stringify({ events: [{ ...valid, target: { ...valid.target, tag: 'a'.repeat(10_000) } }] }), /target\.tag must be a tag/],
      ['a sha256 digest of the wrong length', JSON.stringify({ events: [{ ...valid, target: { ...valid.target, digest: `sha256:${'a'.repeat(10_000)}` } }] }), /target\.digest is not a digest/],
      ['an upper-case repository', JSON.stringify({ events: [{ ...valid, target: { ...valid.target, repository: 'Library/Hello' } }] }), /target\.repository must be a repository name/],
      ['a repository name over 255 characters', JSON.stringify({ events: [{ ...valid, target: { ...valid.target, repository: `library/${'a'.repeat(250)}` } }] }), /target\.repository/],
      // Offsets past ±23:59 name no instant; they once reached toISOString and answered 500, which the registry retries forever.
      ...['+24:00', '-24:00', '+99:99', '+00:60'].map((offset): [string, string, RegExp] => [
        `a zone offset of ${offset}`,
        JSON.stringify({ events: [{ ...valid, timestamp: `2024-03-01T10:00:00${offset}` }] }),
        /timestamp has a zone offset that is not one/,
      ]),
      // Nested thousands deep, an event once overflowed the stack of a recursive check (500).
      ['arrays nested 4,000 deep', `{"events": [${JSON.stringify({ ...valid, request: { ...valid.request, extra: 'X' } }).replace('"X"', `${'['.repeat(4000)}${']'.repeat(4000)}`)}]}`, /events\[0\] is nested more than 32 levels deep/],
      ['objects nested 5,000 deep', `{"events": [${JSON.stringify({ ...valid, extra: 'X' }).replace('"X"', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)}]}`, /events\[0\] is nested more than 32 levels deep/],
    ];
    for (const [name, body, reason] of cases) {
      const answer = await deliver(ctx.server, body);
      expect([name, answer.status]).toEqual([name, 400]);
      expect(answer.body.message).toMatch(reason);
    }
    // The valid first event of the rejected envelope was not recorded.
    expect((await deliver(ctx.server, byFile('0003'))).body.data).toEqual({ recorded: 1, duplicates: 0 });
  });

  test('a push dated ahead of Berth\'s clock counts as pushed when it arrived, so a later real push moves the tag, in either order', async () => {
    const pushOf = (id: string, digest: string, timestamp: Date) =>
      variant(byFile('0003'), (e) => {
        e.id = id;
        e.target.digest = digest;
        e.timestamp = timestamp.toISOString();
      });
    const ahead = () => new Date(Date.now() + 14 * 60_000);
    // The fast clock's push first: the real push after it is newer for Berth, and wins.
    expect((await deliver(ctx.server, pushOf('fast-1', DIGEST.schema2, ahead()))).status).toBe(200);
    expect((await deliver(ctx.server, pushOf('real-1', DIGEST.ociManifest, new Date()))).status).toBe(200);
    expect((await ctx.tagsOf('library/hello'))['1.0'].digest).toBe(DIGEST.ociManifest);
    // The other order: the fast clock's push arrives last, so it is the newest and wins, as any later push would.
    expect((await deliver(ctx.server, pushOf('fast-2', DIGEST.schema2, ahead()))).status).toBe(200);
    expect((await ctx.tagsOf('library/hello'))['1.0'].digest).toBe(DIGEST.schema2);
    expect((await deliver(ctx.server, pushOf('real-2', DIGEST.ociManifest, new Date()))).status).toBe(200);
    expect((await ctx.tagsOf('library/hello'))['1.0'].digest).toBe(DIGEST.ociManifest);
  });

  test('an envelope of more events than a registry sends is 413, and a body that is not JSON 415; neither records anything', async () => {
    const event = { timestamp: new Date().toISOString(), action: 'pull', target: { repository: 'library/hello' } };
    const many = JSON.stringify({ events: Array.from({ length: MAX_EVENTS + 1 }, (_, i) => ({ ...event, id: `many-${i}` })) });
    const tooMany = await deliver(ctx.server, many);
    expect({ status: tooMany.status, code: tooMany.body.code, message: tooMany.body.message }).toEqual({ status: 413, code: 14002, message: `an envelope holds at most ${MAX_EVENTS} events, this one ${MAX_EVENTS + 1}` });
    const plain = await deliver(ctx.server, byFile('0003'), { 'content-type': 'text/plain' });
    expect({ status: plain.status, code: plain.body.code }).toEqual({ status: 415, code: 14007 });
    expect((await ctx.view()).size).toBe(0);
  });

  test('without the configured secret the webhook answers 401 and records nothing', async () => {
    const push = byFile('0003');
    expect((await deliver(ctx.server, push, { authorization: undefined })).status).toBe(401);
    expect((await deliver(ctx.server, push, { authorization: 'Bearer not-the-secret' })).status).toBe(401);
    expect((await deliver(ctx.server, push, { authorization: `Basic ${Buffer.from('root:x').toString('base64')}` })).status).toBe(401);
    expect((await ctx.view()).size).toBe(0);
    expect((await deliver(ctx.server, push)).status).toBe(200);
  });

  test('plain application/json is accepted as well as the registry content type', async () => {
    const { status } = await deliver(ctx.server, byFile('0003'), { 'content-type': 'application/json' });
    expect(status).toBe(200);
    expect((await ctx.view()).get('library/hello')!.pushCount).toBe(1);
  });

  test('a 100-event envelope counts pulls that come before their push, and writes its 99 pulls in one statement', async () => {
    const pull = JSON.parse(byFile('0044').body).events[0];
    const push = JSON.parse(byFile('0003').body).events[0];
    const events = [...Array.from({ length: MAX_EVENTS - 1 }, () => ({ ...pull, id: randomUUID() })), push];
    // Berth's default body limit (a megabyte) holds it; the suite's servers have 64 KB.
    const large = await start({ BERTH_BODY_LIMIT: String(1024 * 1024) });
    try {
      large.server.statements.length = 0;
      const { status, body } = await deliver(large.server, JSON.stringify({ events }));
      expect(status).toBe(200);
      expect(body.data).toEqual({ recorded: MAX_EVENTS, duplicates: 0 });
      expect(large.server.statements.filter((statement) => /insert into "?registry_events/i.test(statement))).toHaveLength(2);
      expect((await large.tagsOf('library/hello'))['1.0']).toMatchObject({ pushCount: 1, pullCount: MAX_EVENTS - 1 });
      // Delivered again, as a registry retries: nothing counts twice.
      expect((await deliver(large.server, JSON.stringify({ events }))).body.data).toEqual({ recorded: 0, duplicates: MAX_EVENTS });
      expect((await large.tagsOf('library/hello'))['1.0']).toMatchObject({ pushCount: 1, pullCount: MAX_EVENTS - 1 });
    } finally {
      await large.server.close();
    }
  });

  test('a 100-push envelope is applied in as many statements as a 2-push one, with the outcome of delivering its pushes one by one', async () => {
    const captured = JSON.parse(byFile('0003').body).events[0];
    const base = Date.parse(captured.timestamp);
    // 100 pushes of distinct manifests into 30 repositories of 3 namespaces, their tags moved several times, dated in shuffled order.
    const pushes = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        ...captured,
        id: randomUUID(),
        timestamp: new Date(base + ((i * 37) % count) * 1000).toISOString(),
        target: { ...captured.target, repository: `${['library', 'team', 'ops'][i % 3]}/app${i % 10}`, tag: `v${Math.floor(i / 10) % 5}`, digest: `sha256:${i.toString(16).padStart(64, '0')}` },
      }));
    const large = await start({ BERTH_BODY_LIMIT: String(1024 * 1024) });
    const sequential = await start();
    try {
      const statementsFor = async (events: unknown[]) => {
        large.server.statements.length = 0;
        const { status, body } = await deliver(large.server, JSON.stringify({ events }));
        expect([status, body.data]).toEqual([200, { recorded: events.length, duplicates: 0 }]);
        return large.server.statements.length;
      };
      const many = pushes(MAX_EVENTS);
      expect(await statementsFor(many)).toBe(await statementsFor(pushes(2).map((e) => ({ ...e, target: { ...e.target, repository: 'other/app' } }))));
      for (const event of many) expect((await deliver(sequential.server, JSON.stringify({ events: [event] }))).status).toBe(200);
      const view = await large.view();
      view.delete('other/app');
      expect(view).toEqual(await sequential.view());
      // team/app1 got the pushes i = 1, 31, 61 and 91, of tags v0, v3, v1 and v4.
      expect(view.get('team/app1')!.pushCount).toBe(4);
      expect(view.get('team/app1')!.tags.nodes.map((t) => t.name).sort()).toEqual(['v0', 'v1', 'v3', 'v4']);
    } finally {
      await Promise.all([large.server.close(), sequential.server.close()]);
    }
  });

  test('an envelope of many events is recorded whole', async () => {
    const events = PUSHES.slice(0, 9).flatMap((e) => JSON.parse(e.body).events);
    const { status, body } = await deliver(ctx.server, JSON.stringify({ events }));
    expect(status).toBe(200);
    expect(body.data).toEqual({ recorded: 9, duplicates: 0 });
    expect(Object.keys(await ctx.tagsOf('library/hello')).sort()).toEqual(['1.0', '1.0-v2s2', 'latest']);
  });
});

describe('a namespace a push creates belongs to the pusher (the actor of token auth)', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  const password = 'xxxxxxxxxxxx';
  beforeAll(async () => {
    ctx = await start();
    // bob, dave and erin have no namespace yet, nor has the admin ops; carol owns carol.
    for (const name of ['bob', 'dave', 'erin']) await ctx.server.app.services.accounts.register({ name, role: 'user', password, withNamespace: false });
    await ctx.server.app.services.accounts.register({ name: 'ops', role: 'admin', password, withNamespace: false });
    await addUser(ctx.server, 'carol');
  });
  afterAll(() => ctx.server.close());

  /** The captured push of library/hello:1.0, as a new event into `repository` by `actor` (the captured anonymous {} when undefined). */
  const push = (repository: string, actor?: string) =>
    deliver(
      ctx.server,
      variant(byFile('0003'), (e) => {
        e.id = randomUUID();
        e.target.repository = repository;
        e.actor = actor === undefined ? {} : { name: actor };
      }),
    );

  const owners = async () => {
    const rows = await ctx.server.database.db
      .select({ namespace: namespaces.name, owner: accounts.name })
      .from(namespaces)
      .leftJoin(accounts, eq(accounts.id, namespaces.ownerId));
    return Object.fromEntries(rows.map((r) => [r.namespace, r.owner]));
  };

  test('a pusher without a namespace gets the new one; an admin, an unknown actor, one who owns a namespace, or none leave it ownerless', async () => {
    for (const [repository, actor] of [
      ['bob-team/app', 'bob'],
      ['admin-made/app', 'ops'],
      ['ghost/app', 'nobody'],
      ['carol-extra/app', 'carol'],
      ['bob-second/app', 'bob'],
      ['anonymous/app', undefined],
      ['library/hello', 'erin'],
    ]) {
      expect([repository, (await push(repository!, actor)).status]).toEqual([repository, 200]);
    }
    expect(await owners()).toEqual({
      root: 'root',
      carol: 'carol',
      'bob-team': 'bob',
      'admin-made': null,
      ghost: null,
      'carol-extra': null,
      'bob-second': null,
      anonymous: null,
      library: null,
    });
    // bob sees the private repository through the namespace he now owns.
    const { body } = await graphql(ctx.server, '{ viewer { namespace { name } } repository(namespace: "bob-team", name: "app") { fullName } }', {}, basic('bob', password));
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ viewer: { namespace: { name: 'bob-team' } }, repository: { fullName: 'bob-team/app' } });
    // The actor is kept with the recorded event.
    const recorded = await ctx.server.database.db.select({ payload: registryEvents.payload }).from(registryEvents).where(eq(registryEvents.repository, 'bob-team/app'));
    expect(recorded.map((r) => (r.payload as { actor: unknown }).actor)).toEqual([{ name: 'bob' }]);
  });

  test('an envelope creating several namespaces for one pusher gives the pusher the first of them only', async () => {
    const events = ['erin-zeta/app', 'erin-alpha/app'].map((repository) => ({ ...JSON.parse(byFile('0003').body).events[0], id: randomUUID(), actor: { name: 'erin' }, target: { ...JSON.parse(byFile('0003').body).events[0].target, repository } }));
    expect((await deliver(ctx.server, JSON.stringify({ events }))).status).toBe(200);
    expect(await owners()).toMatchObject({ 'erin-zeta': 'erin', 'erin-alpha': null });
  });

  test('a push into an existing namespace never changes its owner, nor gives an ownerless one to the pusher', async () => {
    const before = await owners();
    // dave has no namespace, so a push creating one would make him its owner.
    for (const repository of ['bob-team/other', 'ghost/other', 'library/other', 'carol/app']) {
      expect([repository, (await push(repository, 'dave')).status]).toEqual([repository, 200]);
    }
    expect(await owners()).toEqual(before);
    expect((await push('dave-own/app', 'dave')).status).toBe(200);
    expect(await owners()).toEqual({ ...before, 'dave-own': 'dave' });
  });
});

describe('without BERTH_WEBHOOK_SECRET', () => {
  test('the webhook requires the secret Berth generated, which every process sharing the database accepts', async () => {
    const server = await startServer({ env: { BERTH_WEBHOOK_SECRET: '' } });
    const other = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database: server.database });
    await other.http.listen({ port: 0, host: '127.0.0.1' });
    try {
      const push = byFile('0003');
      // A real envelope, anonymous or with the capture's secret, is refused and records nothing.
      expect((await deliver(server, push, { authorization: undefined })).status).toBe(401);
      expect((await deliver(server, push)).status).toBe(401);
      expect(await server.database.db.select().from(registryEvents)).toEqual([]);

      const secret = await server.app.services.webhookSecrets.current();
      expect(secret).toMatch(/^[\w-]{43}$/);
      const second = { ...server, url: `http://127.0.0.1:${(other.http.server.address() as { port: number }).port}` };
      expect((await deliver(second, push, { authorization: `Bearer ${secret}` })).body.data).toEqual({ recorded: 1, duplicates: 0 });
      expect((await deliver(server, push, { authorization: `Bearer ${secret}` })).body.data).toEqual({ recorded: 0, duplicates: 1 });
    } finally {
      await other.http.close();
      await server.close();
    }
  });

  test('a rotated secret is accepted beside the previous one until the rotation is finished', async () => {
    const server = await startServer({ env: { BERTH_WEBHOOK_SECRET: '' } });
    try {
      const secrets = server.app.services.webhookSecrets;
      const previous = await secrets.current();
      const next = await secrets.rotate();
      expect(next).not.toBe(previous);
      expect(await secrets.current()).toBe(next);
      const status = async (secret: string) => (await deliver(server, variant(byFile('0003'), (e) => (e.id = randomUUID())), { authorization: `Bearer ${secret}` })).status;
      expect([await status(previous), await status(next)]).toEqual([200, 200]);
      expect(await secrets.finishRotation()).toBe(1);
      expect([await status(previous), await status(next)]).toEqual([401, 200]);
    } finally {
      await server.close();
    }
  });
});

describe('with webhook authentication turned off (BERTH_WEBHOOK_AUTH=none)', () => {
  test('Berth refuses to start unless it listens on loopback only', () => {
    expect(() => loadConfig({ BERTH_WEBHOOK_AUTH: 'none', HOST: '0.0.0.0' })).toThrow(/BERTH_WEBHOOK_AUTH \(--webhook-auth\) none .* allowed only while HOST is a loopback address, not 0\.0\.0\.0/);
    expect(() => loadConfig({ BERTH_WEBHOOK_AUTH: 'none', HOST: '192.0.2.4' })).toThrow(/not 192\.0\.2\.4/);
    expect(loadConfig({ BERTH_WEBHOOK_AUTH: 'none', HOST: '127.0.0.1' }).webhookAuth).toBe(false);
    expect(loadConfig({ BERTH_WEBHOOK_AUTH: 'none', HOST: '::1' }).webhookAuth).toBe(false);
    expect(loadConfig({}).webhookAuth).toBe(true);
    expect(() => loadConfig({ BERTH_WEBHOOK_AUTH: 'off' })).toThrow(/must be one of secret, none/);
  });

  test('deliveries need no secret, and an actor they name never becomes an owner', async () => {
    const server = await startServer({ env: { BERTH_WEBHOOK_AUTH: 'none', BERTH_WEBHOOK_SECRET: '' } });
    try {
      await server.app.services.accounts.register({ name: 'cibot', password: 'cibot-password', role: 'user', withNamespace: false });
      const squat = variant(byFile('0003'), (e) => {
        e.target.repository = 'squat/app';
        e.actor = { name: 'cibot' };
      });
      expect((await deliver(server, squat, { authorization: undefined })).status).toBe(200);
      const [owned] = await server.database.db.select({ ownerId: namespaces.ownerId }).from(namespaces).where(eq(namespaces.name, 'squat'));
      expect(owned).toEqual({ ownerId: null });
    } finally {
      await server.close();
    }
  });
});
