import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import postgres from 'postgres';
import { FULL_SCALE, QUICK_SCALE, type Scale } from './data';
import type { TokenClaims } from '../src/registry-token/signer';
import { ADMIN_PASSWORD, BENCH_OWNER, databaseUrlFor, loadPglite, loadPostgres } from './database';
import { envelope, WEBHOOK_HEADERS, type IngestTarget, type LoadResult, type LoadSpec } from './load';
import { MAX_EVENTS } from '../src/ingest/envelope';
import { ROOT, startBaseline, startBerth, type Server } from './processes';
import { formatProfile, summarizeProfile } from './profile';
import { writeReport, type Row, type RunInfo } from './report';

interface Options {
  quick: boolean;
  /** Keep the databases of an earlier run at the same scale instead of loading them again. */
  reuse: boolean;
  profile: boolean;
  scenarios: Set<string>;
  rounds: number;
  duration: number;
  warmup: number;
  connections: number;
  ingestEnvelopes: number;
  output: string;
  nodeOptions?: string;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const number = (name: string, fallback: number) => (value(name) ? Number(value(name)) : fallback);
  return {
    quick,
    reuse: argv.includes('--reuse'),
    profile: argv.includes('--profile'),
    scenarios: new Set((value('only') ?? '1,2,3,4,5,6,7').split(',')),
    rounds: number('rounds', quick ? 2 : 3),
    duration: number('duration', quick ? 4 : 10),
    warmup: number('warmup', quick ? 2 : 5),
    connections: number('connections', 10),
    ingestEnvelopes: number('envelopes', quick ? 3000 : 10000),
    nodeOptions: argv.find((a) => a.startsWith('--node-options='))?.slice('--node-options='.length),
    // Only a full run at full scale stands as docs/benchmarks.md.
    output: value('output') ?? path.join(ROOT, quick ? 'bench/results-quick.md' : value('only') ? 'bench/results-partial.md' : 'docs/benchmarks.md'),
  };
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** autocannon in a process of its own, so the load generator never shares an event loop with a server. */
function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'bench/load.ts', JSON.stringify(spec)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

const GRAPHQL_PAGE = `query Page($first: Int!, $tags: Int!) {
  repositories(scope: PUBLIC, first: $first, orderBy: { field: NAME, direction: ASC }) {
    nodes { name namespace { name } pullCount tags(first: $tags) { nodes { name digest size pullCount } } }
  }
}`;
const pageBody = (first: number) => JSON.stringify({ query: GRAPHQL_PAGE, variables: { first, tags: 20 } });

/** Scenario 6's attacks, each refused before it runs: they once stalled every other request for seconds. */
const ATTACKS = [
  {
    label: '1,000 aliases of a 500-repository page',
    body: JSON.stringify({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: repositories(first: 500) { nodes { name } }`).join(' ')} }` }),
  },
  {
    label: 'tags of the repository of each tag, three levels of 80',
    body: JSON.stringify({ query: '{ repositories(first: 1) { nodes { tags(first: 80) { nodes { repository { tags(first: 80) { nodes { repository { tags(first: 80) { nodes { name } } } } } } } } } } }' }),
  },
];

interface Target {
  scenario: string;
  label: string;
  server: Server;
  spec: Omit<LoadSpec, 'url' | 'connections' | 'duration'> & { path: string };
}

/** Warm-up for each target, then rounds that take the targets in turn, so drift hits all alike. */
async function measure(targets: Target[], options: Options): Promise<Map<Target, LoadResult[]>> {
  const results = new Map<Target, LoadResult[]>(targets.map((t) => [t, []]));
  const specOf = (t: Target, duration: number): LoadSpec => {
    const { path: route, ...rest } = t.spec;
    return { ...rest, url: `${t.server.url}${route}`, connections: options.connections, duration };
  };
  for (const t of targets) await load(specOf(t, options.warmup));
  for (let round = 1; round <= options.rounds; round++) {
    for (const t of targets) {
      const cpuBefore = t.server.cpuMs();
      const result = await load(specOf(t, options.duration));
      result.cpuMsPerRequest = (t.server.cpuMs() - cpuBefore) / Math.max(1, result.requests);
      if (result.non2xx || result.errors) throw new Error(`${t.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      results.get(t)!.push(result);
      log(`  round ${round} ${t.label.padEnd(52)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ${result.cpuMsPerRequest.toFixed(2)} CPU ms/req`);
    }
  }
  return results;
}

const summarize = (results: LoadResult[]) => ({
  requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
  p50: median(results.map((r) => r.p50)),
  p99: median(results.map((r) => r.p99)),
  cpuMsPerRequest: median(results.map((r) => r.cpuMsPerRequest ?? 0)),
});

/**
 * A read measured alone, then while `background` runs for as long, in
 * alternating rounds after a warm-up. Server CPU per read answered: beside
 * the background, it includes the background's share.
 */
async function readAloneAndBeside(server: Server, url: string, background: (duration: number) => Promise<LoadResult>[], options: Options) {
  const read: LoadSpec = { url, connections: options.connections, duration: options.duration };
  const timed = async (runs: Promise<LoadResult[]>) => {
    const cpuBefore = server.cpuMs();
    const results = await runs;
    results[0].cpuMsPerRequest = (server.cpuMs() - cpuBefore) / Math.max(1, results[0].requests);
    return results;
  };
  await load({ ...read, duration: options.warmup });
  const alone: LoadResult[] = [];
  const beside: LoadResult[] = [];
  const backgroundResults: LoadResult[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    alone.push(...(await timed(Promise.all([load(read)]))));
    const [result, ...others] = await timed(Promise.all([load(read), ...background(options.duration)]));
    if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    beside.push(result);
    backgroundResults.push(...others);
    log(`  round ${round} p50 alone ${alone[round - 1].p50} ms, beside ${result.p50} ms; background requests ${others.map((o) => o.requests).join(' + ')}`);
  }
  return { alone, beside, background: backgroundResults };
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, statements: response.headers.get('x-sql-statements'), json: await response.json().catch(() => null) };
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, statements: response.headers.get('x-sql-statements'), json: await response.json().catch(() => null) };
}

const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
const tokenPath = (repository: string) => `/registry/v1/token?service=berth-registry&scope=${encodeURIComponent(`repository:${repository}:pull`)}`;

/** Scenario 5's callers: team-01's repositories are all public, team-02's all private and owned by BENCH_OWNER. */
const TOKEN_CALLERS = [
  { label: 'anonymous, public repository', repository: 'team-01/image-0000', subject: '', authorization: undefined },
  { label: 'access token (Basic), private repository', repository: 'team-02/image-0001', subject: BENCH_OWNER.name, authorization: basic(BENCH_OWNER.name, BENCH_OWNER.token) },
  { label: 'password (Basic), private repository', repository: 'team-02/image-0001', subject: BENCH_OWNER.name, authorization: basic(BENCH_OWNER.name, BENCH_OWNER.password) },
];
type TokenCaller = (typeof TOKEN_CALLERS)[number];

/** The claims of a token answer, unverified: the run checks what was granted, the registry checks signatures. */
function claimsOf(json: unknown): TokenClaims | null {
  const token = (json as { token?: unknown } | null)?.token;
  if (typeof token !== 'string') return null;
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as TokenClaims;
}

const grantsPull = (claims: TokenClaims | null, repository: string) =>
  claims?.access.some((entry) => entry.type === 'repository' && entry.name === repository && entry.actions.includes('pull')) ?? false;

/** One token request of `caller` to `url`; throws unless it is a 200 granting pull to the caller, as timing refusals would measure nothing. */
async function tokenFor(url: string, caller: TokenCaller) {
  const answer = await get(`${url}${tokenPath(caller.repository)}`, caller.authorization ? { authorization: caller.authorization } : {});
  const claims = claimsOf(answer.json);
  if (answer.status !== 200 || !grantsPull(claims, caller.repository) || claims!.sub !== caller.subject) {
    throw new Error(`scenario 5, ${caller.label}: expected a token granting pull on ${caller.repository} to "${caller.subject}", got ${answer.status} ${JSON.stringify(claims ?? answer.json).slice(0, 500)}`);
  }
  return answer;
}

function machine(pgVersion: string): RunInfo['machine'] {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    /* not a checkout */
  }
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    postgres: pgVersion,
    os: `${os.type()} ${os.release()}`,
    commit,
  };
}

const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');

export async function main(argv: string[]) {
  const options = parseOptions(argv);
  const scale: Scale = options.quick ? QUICK_SCALE : FULL_SCALE;
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = options.quick ? 'berth_bench_quick' : 'berth_bench';
  const benchUrl = databaseUrlFor(serverUrl, dbName);
  const noHistoryUrl = databaseUrlFor(serverUrl, `${dbName}_nohistory`);
  const pgliteDir = path.join(os.tmpdir(), `${dbName}_pglite`);
  const started = Date.now();
  const loadBefore = loadAverage();

  log('building dist/ …');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    log('  (the build reported errors; running whatever dist/ holds)');
  }

  const pg = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const [{ version }] = await pg`select current_setting('server_version') as version`;
  const loaded = options.reuse && (await pg`select 1 from pg_database where datname = ${`${dbName}_nohistory`}`).length > 0;
  await pg.end();
  const loadTimes: string[] = [];
  const timedLog = (line: string) => {
    loadTimes.push(line.trim());
    log(line);
  };
  if (!loaded) {
    log(`loading ${dbName} (${scale.repositories} repositories, ${scale.events.toLocaleString('en')} events) …`);
    await loadPostgres(serverUrl, dbName, scale, timedLog);
  } else log(`reusing ${dbName}`);
  if (['4', '5', '6', '7'].some((s) => options.scenarios.has(s)) && !(options.reuse && readdirSync(os.tmpdir()).includes(path.basename(pgliteDir)))) {
    log(`loading PGlite in ${pgliteDir} …`);
    await loadPglite(pgliteDir, scale, (line) => timedLog(`PGlite ${line.trim()}`));
  }

  const db = postgres(benchUrl, { max: 1, onnotice: () => {} });
  const rows: Row[] = [];
  const notes: string[] = [];
  const running: Server[] = [];
  const berth = async (name: string, opts: Partial<Parameters<typeof startBerth>[1]>) => {
    const server = await startBerth(name, { databaseUrl: benchUrl, adminPassword: ADMIN_PASSWORD, nodeOptions: options.nodeOptions, ...opts });
    running.push(server);
    return server;
  };
  const baselineServer = async () => {
    const server = await startBaseline(benchUrl);
    running.push(server);
    return server;
  };
  const stop = async (...servers: Server[]) => {
    for (const s of servers) {
      await s.stop();
      running.splice(running.indexOf(s), 1);
    }
  };
  const profileDir = path.join(ROOT, 'bench/profiles');
  /** The manifests tagged `latest` of 200 repositories: what the ingest scenarios push and pull. */
  const ingestTargets = () => db<IngestTarget[]>`
    select ns.name || '/' || r.name as repository, m.digest, m.media_type as "mediaType", t.name as tag
    from tags t join manifests m on m.id = t.manifest_id join repositories r on r.id = t.repository_id join namespaces ns on ns.id = r.namespace_id
    where t.name = 'latest' order by r.id limit 200`;

  try {
    // Statements per request, and a check that Berth and the baseline answer the same document.
    log('probing SQL statements per request …');
    const probe = await berth('probe', { sqlStats: true });
    const baseline = await baselineServer();
    const statementsByPageSize: Record<number, string> = {};
    for (const first of [10, 50, 200]) {
      const answer = await post(`${probe.url}/graphql`, pageBody(first));
      if (answer.status !== 200 || (answer.json as { errors?: unknown }).errors) throw new Error(`scenario 1 failed: ${JSON.stringify(answer.json).slice(0, 500)}`);
      statementsByPageSize[first] = answer.statements ?? '?';
      const reference = await post(baseline.url, pageBody(first));
      if (!isDeepStrictEqual(answer.json, reference.json)) throw new Error(`Berth and the baseline disagree for first=${first}`);
    }
    const restRoutes = { list: '/registry/v1/repositories/public', tags: '/registry/v1/tag/list/team-01/image-0000' };
    const restStatements = {
      list: (await get(`${probe.url}${restRoutes.list}`)).statements ?? '?',
      tags: (await get(`${probe.url}${restRoutes.tags}`)).statements ?? '?',
    };
    await stop(probe);
    log(`  scenario 1 statements by page size: ${JSON.stringify(statementsByPageSize)}; REST ${JSON.stringify(restStatements)}`);

    if (options.scenarios.has('1')) {
      log('scenario 1: GraphQL page of 50 public repositories with 20 tags each');
      const one = await berth('berth ×1', { profileDir: options.profile ? profileDir : undefined });
      const two = await berth('berth ×2', { processes: 2 });
      if (options.profile) rmSync(profileDir, { recursive: true, force: true });
      const spec = { path: '/graphql', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: pageBody(50) };
      const targets: Target[] = [
        { scenario: '1', label: 'baseline (node:http + 1 SQL)', server: baseline, spec: { ...spec, path: '/' } },
        { scenario: '1', label: 'Berth, 1 process', server: one, spec },
        { scenario: '1', label: 'Berth, 2 processes (node:cluster)', server: two, spec },
      ];
      const results = await measure(targets, options);
      for (const t of targets) {
        rows.push({
          scenario: '1 GraphQL page (PostgreSQL)',
          server: t.label,
          ...summarize(results.get(t)!),
          statements: t.server === baseline ? '1' : statementsByPageSize[50],
          peakRssMb: t.server.peakRssMb(),
          processes: t.server.pids().length,
        });
      }
      await stop(one, two);
      if (options.profile) {
        for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
          log(`CPU profile of Berth ×1 (${path.join(profileDir, file)}):\n${formatProfile(summarizeProfile(path.join(profileDir, file)))}`);
        }
      }
    }
    await stop(baseline);

    if (options.scenarios.has('2')) {
      log('scenario 2: legacy REST lists, with and without the event history');
      const withHistory = await berth('berth, history', {});
      const withoutHistory = await berth('berth, no history', { databaseUrl: noHistoryUrl });
      const targets: Target[] = [];
      for (const [route, label] of [
        [restRoutes.list, 'GET /repositories/public'],
        [restRoutes.tags, 'GET /tag/list/:namespace/:image'],
      ]) {
        targets.push({ scenario: '2', label: `${label}, ${scale.events.toLocaleString('en')} events`, server: withHistory, spec: { path: route } });
        targets.push({ scenario: '2', label: `${label}, no events`, server: withoutHistory, spec: { path: route } });
      }
      const results = await measure(targets, options);
      for (const t of targets) {
        rows.push({
          scenario: '2 REST (PostgreSQL)',
          server: t.label,
          ...summarize(results.get(t)!),
          statements: t.spec.path === restRoutes.list ? restStatements.list : restStatements.tags,
          peakRssMb: t.server.peakRssMb(),
          processes: 1,
        });
      }
      await stop(withHistory, withoutHistory);
    }

    if (options.scenarios.has('3')) {
      log('scenario 3: webhook ingest with 10% duplicate deliveries');
      const route = '/registry/v1/notifications';
      const targets = await ingestTargets();
      // One delivery to a Berth counting statements (BERTH_SQL_STATS), which the timed runs leave off as in the other scenarios.
      const probe = await berth('berth, ingest probe', { sqlStats: true });
      const sample = await post(`${probe.url}${route}`, envelope(`bench-sample-${Date.now()}`, 'pull', targets[0], new Date()), WEBHOOK_HEADERS);
      await stop(probe);
      if (sample.status === 404) {
        notes.push(`Scenario 3 not measured: this build of Berth has no ${route} route.`);
        log('  no webhook route in this build; skipped');
      } else {
        const ingest = await berth('berth, ingest', {});
        const counters = async () => {
          const [c] = await db`select (select count(*) from registry_events)::int as events, sum(pull_count)::bigint as pulls, sum(push_count)::bigint as pushes from repositories`;
          return { events: Number(c.events), pulls: Number(c.pulls), pushes: Number(c.pushes) };
        };
        /** One pass of distinct deliveries; afterwards the recorded events and counters are compared with what was sent. */
        const pass = async (amount: number) => {
          const before = await counters();
          const cpuBefore = ingest.cpuMs();
          const result = await load({
            url: `${ingest.url}${route}`,
            connections: options.connections,
            duration: 0,
            amount,
            ingest: { runId: `bench-${Date.now()}`, targets, duplicateEvery: 10, pushEvery: 10 },
          });
          result.cpuMsPerRequest = (ingest.cpuMs() - cpuBefore) / Math.max(1, result.requests);
          // Give any work that follows the acknowledgement a moment.
          let after = await counters();
          for (let i = 0; i < 20 && after.events - before.events < result.ingest!.uniqueEvents; i++) {
            await new Promise((r) => setTimeout(r, 500));
            after = await counters();
          }
          const sent = result.ingest!;
          const delta = { events: after.events - before.events, pulls: after.pulls - before.pulls, pushes: after.pushes - before.pushes };
          const exact = delta.events === sent.uniqueEvents && delta.pulls === sent.uniquePulls && delta.pushes === sent.uniquePushes && !result.non2xx;
          return { result, sent, delta, exact };
        };
        await pass(Math.ceil(options.ingestEnvelopes / 10));
        const passes = [];
        for (let round = 1; round <= options.rounds; round++) {
          const p = await pass(options.ingestEnvelopes);
          passes.push(p);
          log(`  round ${round} ${p.result.requestsPerSecond.toFixed(0)} envelopes/s  p50 ${p.result.p50} ms  p99 ${p.result.p99} ms; counts ${p.exact ? 'exact' : 'NOT exact'}`);
        }
        const { sent, delta } = passes[passes.length - 1];
        const exact = passes.every((p) => p.exact);
        rows.push({
          scenario: '3 webhook ingest (PostgreSQL)',
          server: `Berth, 1 process: ${sent.envelopes} envelopes a round, ${sent.duplicates} duplicates`,
          ...summarize(passes.map((p) => p.result)),
          statements: sample.statements ?? '?',
          peakRssMb: ingest.peakRssMb(),
          processes: 1,
        });
        notes.push(
          `Ingest counts ${exact ? 'exact' : 'NOT exact'} in every round; the last sent ${sent.uniqueEvents} distinct events (${sent.uniquePulls} pulls, ${sent.uniquePushes} pushes) ` +
            `plus ${sent.duplicates} re-deliveries and recorded ${delta.events} events, pull counters +${delta.pulls}, push counters +${delta.pushes}.`,
        );
        await stop(ingest);
      }
    }

    if (options.scenarios.has('4')) {
      log('scenario 4: the GraphQL page on embedded PGlite');
      const embedded = await berth('berth, PGlite', { databaseUrl: undefined, dataDir: pgliteDir });
      const t: Target = {
        scenario: '4',
        label: 'Berth, 1 process, PGlite',
        server: embedded,
        spec: { path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body: pageBody(50) },
      };
      const results = await measure([t], options);
      rows.push({ scenario: '4 GraphQL page (PGlite)', server: t.label, ...summarize(results.get(t)!), statements: statementsByPageSize[50], peakRssMb: embedded.peakRssMb(), processes: 1 });
      await stop(embedded);
    }

    if (options.scenarios.has('5')) {
      log('scenario 5: registry tokens, anonymous and signed in');
      // On a probe, each caller's second request: an access token's first use in a minute also records it.
      const probe = await berth('berth, token probe', { sqlStats: true });
      const statements = new Map<TokenCaller, string>();
      const firsts: string[] = [];
      for (const caller of TOKEN_CALLERS) {
        firsts.push(`${caller.label.split(',')[0]} ${(await tokenFor(probe.url, caller)).statements}`);
        statements.set(caller, (await tokenFor(probe.url, caller)).statements ?? '?');
      }
      const [, owned] = TOKEN_CALLERS;
      if (grantsPull(claimsOf((await get(`${probe.url}${tokenPath(owned.repository)}`)).json), owned.repository)) {
        throw new Error(`scenario 5: anonymous callers may pull ${owned.repository}, so signing in would prove nothing`);
      }
      await stop(probe);
      notes.push(
        `Scenario 5 statements are the steady state: besides, each process re-reads its signing key every 30 s, and an access token's first use in a minute records last_used_at; the probe's first requests took ${firsts.join(', ')}.`,
      );

      const yardstick = await baselineServer();
      const onPostgres = await berth('berth, tokens', {});
      const onPglite = await berth('berth, tokens, PGlite', { databaseUrl: undefined, dataDir: pgliteDir });
      const targets: Target[] = [
        { scenario: '5 registry tokens (PostgreSQL)', label: 'baseline (node:http + 1 SQL, fixed token)', server: yardstick, spec: { path: tokenPath(TOKEN_CALLERS[0].repository) } },
      ];
      const statementsOf = new Map<Target, string>([[targets[0], '1']]);
      const databases = [
        { server: onPostgres, scenario: '5 registry tokens (PostgreSQL)', suffix: '', callers: TOKEN_CALLERS },
        // A password costs the same scrypt on either database, so PGlite is measured without it.
        { server: onPglite, scenario: '5 registry tokens (PGlite)', suffix: ', PGlite', callers: TOKEN_CALLERS.slice(0, 2) },
      ];
      for (const { server, scenario, suffix, callers } of databases) {
        for (const caller of callers) {
          await tokenFor(server.url, caller);
          const headers = caller.authorization ? { authorization: caller.authorization } : undefined;
          const target: Target = { scenario, label: `Berth, ${caller.label}${suffix}`, server, spec: { path: tokenPath(caller.repository), headers } };
          targets.push(target);
          statementsOf.set(target, statements.get(caller)!);
        }
      }
      const results = await measure(targets, options);
      for (const t of targets) {
        rows.push({ scenario: t.scenario, server: t.label, ...summarize(results.get(t)!), statements: statementsOf.get(t)!, peakRssMb: t.server.peakRssMb(), processes: 1 });
      }
      await stop(yardstick, onPostgres, onPglite);
    }

    if (options.scenarios.has('6')) {
      log('scenario 6: a legacy read alone, and while two refused GraphQL attacks run');
      const embedded = await berth('berth, limits, PGlite', { databaseUrl: undefined, dataDir: pgliteDir });
      for (const attack of ATTACKS) {
        const answer = await post(`${embedded.url}/graphql`, attack.body);
        const code = (answer.json as { errors?: { extensions?: { code?: string } }[] } | null)?.errors?.[0]?.extensions?.code;
        if (answer.status !== 400 || code !== 'QUERY_TOO_COMPLEX') throw new Error(`scenario 6: ${attack.label} was not refused: ${answer.status} ${code}`);
      }
      const attacking = (duration: number) =>
        ATTACKS.map((attack) => load({ url: `${embedded.url}/graphql`, connections: 1, duration, method: 'POST', headers: { 'content-type': 'application/json' }, body: attack.body }));
      const { alone, beside, background } = await readAloneAndBeside(embedded, `${embedded.url}${restRoutes.tags}`, attacking, options);
      const refused = background.reduce((sum, a) => sum + a.non2xx, 0);
      const scenario = '6 GraphQL limits (PGlite)';
      const statements = restStatements.tags;
      rows.push({ scenario, server: 'GET /tag/list/:namespace/:image, alone', ...summarize(alone), statements, peakRssMb: embedded.peakRssMb(), processes: 1 });
      rows.push({ scenario, server: 'the same, while two refused attacks run', ...summarize(beside), statements, peakRssMb: embedded.peakRssMb(), processes: 1 });
      const ratio = summarize(beside).p50 / Math.max(0.01, summarize(alone).p50);
      notes.push(
        `Scenario 6: the read's p50 while attacked is ${ratio.toFixed(2)}× its p50 alone (goal ≤ 2×); the attacks (${ATTACKS.map((a) => a.label).join('; ')}) were refused ${refused.toLocaleString('en')} times, every one QUERY_TOO_COMPLEX.`,
      );
      await stop(embedded);
    }

    if (options.scenarios.has('7')) {
      log('scenario 7: a legacy read alone, and while two registries deliver envelopes of 100 pushes');
      const targets = await ingestTargets();
      const embedded = await berth('berth, ingest beside reads, PGlite', { databaseUrl: undefined, dataDir: pgliteDir });
      const webhook = `${embedded.url}/registry/v1/notifications`;
      const delivering = (duration: number) =>
        [1, 2].map((sender) => load({ url: webhook, connections: 1, duration, pushEnvelopes: { runId: `bench-${sender}-${Date.now()}`, targets, size: MAX_EVENTS } }));
      const { alone, beside, background } = await readAloneAndBeside(embedded, `${embedded.url}${restRoutes.tags}`, delivering, options);
      const failed = background.reduce((sum, d) => sum + d.non2xx + d.errors, 0);
      if (failed || background.some((d) => d.requests === 0)) throw new Error(`scenario 7: ${failed} deliveries failed, or a sender had none answered`);
      const scenario = '7 ingest beside reads (PGlite)';
      const statements = restStatements.tags;
      rows.push({ scenario, server: 'GET /tag/list/:namespace/:image, alone', ...summarize(alone), statements, peakRssMb: embedded.peakRssMb(), processes: 1 });
      rows.push({ scenario, server: `the same, while 2 senders deliver ${MAX_EVENTS}-push envelopes`, ...summarize(beside), statements, peakRssMb: embedded.peakRssMb(), processes: 1 });
      const ratio = summarize(beside).p50 / Math.max(0.01, summarize(alone).p50);
      const envelopes = background.reduce((sum, d) => sum + d.requests, 0);
      const seconds = background.reduce((sum, d) => sum + d.seconds, 0) / background.length;
      notes.push(
        `Scenario 7: the read's p50 while envelopes of ${MAX_EVENTS} pushes arrive is ${ratio.toFixed(2)}× its p50 alone (p99 ${summarize(beside).p99} ms against ${summarize(alone).p99} ms); ` +
          `the senders delivered ${envelopes.toLocaleString('en')} envelopes (${((envelopes * MAX_EVENTS) / seconds).toFixed(0)} pushes/s), every one accepted, in p50 ${summarize(background).p50} ms.`,
      );
      await stop(embedded);
    }

    const [counts] = await db`select (select count(*) from namespaces)::int as namespaces, (select count(*) from repositories)::int as repositories,
      (select count(*) from repositories where is_public)::int as public, (select count(*) from tags)::int as tags,
      (select count(*) from manifests)::int as manifests, (select count(*) from registry_events)::int as events`;
    mkdirSync(path.dirname(options.output), { recursive: true });
    writeFileSync(
      options.output,
      writeReport({
        date: new Date(),
        minutes: (Date.now() - started) / 60_000,
        machine: machine(version),
        loadAverage: { before: loadBefore, after: loadAverage() },
        scale,
        counts: counts as Record<string, number>,
        loadTimes,
        options: { rounds: options.rounds, duration: options.duration, warmup: options.warmup, connections: options.connections, quick: options.quick },
        statementsByPageSize,
        rows,
        notes,
      }),
    );
    log(`wrote ${path.relative(ROOT, options.output)} in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  } finally {
    for (const s of [...running]) await s.stop();
    await db.end();
  }
}
