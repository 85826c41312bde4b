import type { Scale } from './data';

export interface Row {
  scenario: string;
  server: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** CPU time of the server's own processes (not PostgreSQL's) per request. */
  cpuMsPerRequest: number;
  statements: string;
  /** Per serving process. */
  peakRssMb: number;
  processes: number;
}

export interface RunInfo {
  date: Date;
  minutes: number;
  machine: { cpu: string; cores: number; memoryGb: number; node: string; postgres: string; os: string; commit: string };
  loadAverage: { before: string; after: string };
  scale: Scale;
  counts: Record<string, number>;
  loadTimes: string[];
  options: { rounds: number; duration: number; warmup: number; connections: number; quick: boolean };
  statementsByPageSize: Record<number, string>;
  rows: Row[];
  notes: string[];
}

const fixed = (x: number, digits = 0) => x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (x: number, of: number | undefined) => (of ? `${(x / of).toFixed(2)}×` : 'n/a');
const scenarioOf = (row: Row) => row.scenario.split(' ')[0];

/** What a row is compared with: the baseline of its own scenario when it has one (scenario 5), else scenario 1's. */
function yardstickOf(run: RunInfo, row: Row): Row | undefined {
  const baselines = run.rows.filter((r) => r.server.startsWith('baseline'));
  return baselines.find((b) => scenarioOf(b) === scenarioOf(row)) ?? baselines.find((b) => scenarioOf(b) === '1');
}

function targets(run: RunInfo): string[][] {
  const find = (scenario: string, server: string) => run.rows.find((r) => r.scenario.startsWith(scenario) && r.server.startsWith(server));
  const lines: string[][] = [];
  const one = find('1', 'Berth, 1 process');
  const two = find('1', 'Berth, 2 processes');
  const baseline = find('1', 'baseline');
  if (one && baseline) {
    const r = one.requestsPerSecond / baseline.requestsPerSecond;
    lines.push(['Scenario 1 throughput, 1 Berth process vs 1 baseline process', '≥ 0.50×', `${r.toFixed(2)}×`, r >= 0.5 ? 'yes' : 'no']);
  }
  const counts = Object.entries(run.statementsByPageSize);
  if (counts.length) {
    const values = new Set(counts.map(([, n]) => n));
    const ok = values.size === 1 && Number([...values][0]) <= 3;
    lines.push(['SQL statements per scenario 1 request, by page size', '≤ 3, constant', counts.map(([size, n]) => `${n} at ${size}`).join(', '), ok ? 'yes' : 'no']);
  }
  for (const route of ['GET /repositories/public', 'GET /tag/list']) {
    const full = run.rows.find((r) => r.scenario.startsWith('2') && r.server.startsWith(route) && !r.server.endsWith('no events'));
    const none = run.rows.find((r) => r.scenario.startsWith('2') && r.server.startsWith(route) && r.server.endsWith('no events'));
    if (full && none) {
      const change = full.p50 / none.p50 - 1;
      lines.push([`REST ${route} p50, ${fixed(run.scale.events)} events vs none`, 'within ±10%', `${(change * 100).toFixed(1)}% (${full.p50} vs ${none.p50} ms)`, Math.abs(change) <= 0.1 ? 'yes' : 'no']);
    }
  }
  const ingest = find('3', '');
  if (ingest) {
    const exact = run.notes.some((n) => n.startsWith('Ingest counts exact'));
    const ok = ingest.requestsPerSecond >= 1000 && exact;
    lines.push(['Webhook ingest, one event per envelope', '≥ 1,000 events/s, exact counts', `${fixed(ingest.requestsPerSecond)} /s, counts ${exact ? 'exact' : 'not exact'}`, ok ? 'yes' : 'no']);
  }
  for (const [server, goal] of [
    ['Berth, anonymous', 500],
    ['Berth, access token', 300],
  ] as const) {
    const row = find('5 registry tokens (PostgreSQL)', server);
    if (row) lines.push([`Registry tokens, ${row.server.slice('Berth, '.length)} (PostgreSQL)`, `≥ ${fixed(goal)} tokens/s`, `${fixed(row.requestsPerSecond)} /s`, row.requestsPerSecond >= goal ? 'yes' : 'no']);
  }
  for (const [scenario, beside] of [
    ['6', 'two refused GraphQL attacks'],
    ['7', 'two senders of 100-push envelopes'],
  ] as const) {
    const [alone, busy] = run.rows.filter((r) => scenarioOf(r) === scenario);
    if (alone && busy) {
      const r = busy.p50 / Math.max(0.01, alone.p50);
      lines.push([`Legacy read p50 beside ${beside} vs alone (PGlite)`, '≤ 2×', `${r.toFixed(2)}× (${busy.p50} vs ${alone.p50} ms)`, r <= 2 ? 'yes' : 'no']);
    }
  }
  if (run.rows.length) {
    const peak = Math.max(...run.rows.map((r) => r.peakRssMb));
    lines.push(['Peak RSS of any Berth process under load', '≤ 300 MB', `${fixed(peak)} MB`, peak <= 300 ? 'yes' : 'no']);
  }
  if (one && two) {
    const r = two.requestsPerSecond / one.requestsPerSecond;
    lines.push([`Scenario 1, 2 processes vs 1 (${run.machine.cores} cores)`, 'scales with the cores', `${r.toFixed(2)}×`, r >= 1.3 ? 'yes' : 'partly']);
  }
  return lines;
}

const table = (header: string[], body: string[][]) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** The whole of docs/benchmarks.md, from one run's measurements. */
export function writeReport(run: RunInfo): string {
  const m = run.machine;
  const results = table(
    ['Scenario', 'Server', 'req/s', '× baseline req/s', 'p50 ms', '× baseline p50', 'p99 ms', 'server CPU ms / request', 'SQL / request', 'peak RSS MB / process'],
    run.rows.map((r) => [
      r.scenario,
      r.server,
      fixed(r.requestsPerSecond),
      ratio(r.requestsPerSecond, yardstickOf(run, r)?.requestsPerSecond),
      fixed(r.p50, 1),
      ratio(r.p50, yardstickOf(run, r)?.p50),
      fixed(r.p99, 1),
      fixed(r.cpuMsPerRequest, 2),
      r.statements,
      `${fixed(r.peakRssMb)}${r.processes > 1 ? ` (×${r.processes})` : ''}`,
    ]),
  );
  return `# Benchmarks

Written by \`npm run bench\` (bench/run.js); do not edit by hand. Run ${run.date.toISOString().replace(/\.\d+Z$/, 'Z')} on commit \`${m.commit}\`${run.options.quick ? ', **quick mode (reduced scale)**' : ''}, ${run.minutes.toFixed(1)} minutes in all.

## Machine

| | |
| --- | --- |
| CPU | ${m.cpu}, ${m.cores} cores |
| Memory | ${m.memoryGb.toFixed(1)} GB |
| OS | ${m.os} |
| Node.js | ${m.node} |
| PostgreSQL | ${m.postgres} (same machine, loopback) |
| Load average (1/5/15 min) | ${run.loadAverage.before} before, ${run.loadAverage.after} after |

The load generator (autocannon, ${run.options.connections} connections, in a process of its own), Berth, the baseline and PostgreSQL share these cores.

## Results

Medians over ${run.options.rounds} interleaved rounds of ${run.options.duration} s per server, after a ${run.options.warmup} s warm-up each (scenario 3: a warm-up pass of a tenth, then rounds of a fixed number of deliveries). "× baseline" compares with a baseline measured in this same run (bench/baseline.ts, a minimal node:http server): scenario 5 with its own (see Scenarios), the others with scenario 1's, which answers the scenario 1 page with one hand-written SQL statement in which PostgreSQL builds the JSON; for scenarios 2 to 4 it is a yardstick, not a like-for-like comparison. SQL statements per request come from Berth's \`x-sql-statements\` header (\`BERTH_SQL_STATS=1\` on a separate probe process; off during the timed runs). Server CPU per request is the user + system time of the server's own processes (from /proc, PostgreSQL's backends not included) divided by the requests answered: less sensitive to other load on the machine than req/s. Peak RSS is each serving process's high-water mark (VmHWM).

${results}

## Targets

${table(['Target', 'Goal', 'Measured', 'Met'], targets(run))}
${run.notes.length ? `\n${run.notes.map((n) => `- ${n}`).join('\n')}\n` : ''}
## Scenarios

1. **GraphQL page**: \`POST /graphql\`, anonymous, the first 50 public repositories by name, each with \`namespace { name }\`, \`pullCount\` and its first 20 tags (\`name digest size pullCount\`): ${fixed(50 * 21 + 50)} objects per answer. The run first checks that Berth's answer and the baseline's parse to the same document at page sizes 10, 50 and 200.
2. **Legacy REST**: \`GET /registry/v1/repositories/public\` (every public repository, with its latest tag) and \`GET /registry/v1/tag/list/team-01/image-0000\`, each against a database with the full event history and against a copy taken before the history was loaded.
3. **Webhook ingest**: \`POST /registry/v1/notifications\` with one-event envelopes as Distribution sends them (9 pulls to 1 push of an existing tag), every tenth delivery a re-delivery of an earlier event; afterwards the recorded events and counters are compared with what was sent.
4. **GraphQL page on PGlite**: scenario 1 against Berth's embedded default (\`BERTH_DATA_DIR\`, no \`DATABASE_URL\`) holding the same data set.
5. **Registry tokens**: \`GET /registry/v1/token?service=berth-registry&scope=repository:<namespace>/<name>:pull\` as Distribution's clients ask it: anonymous for the public \`team-01/image-0000\`, and for the private \`team-02/image-0001\` as its namespace's owner \`owner-02\` with HTTP Basic, the password being a read access token (\`berth_…\`, loaded with the catalog) or the account's password (scrypt, PostgreSQL only: the hash costs the same on PGlite). Before timing, each caller's answer on each server must be a 200 whose JWT grants \`pull\` on the repository to the caller (\`sub\`: the account, or empty), and an anonymous caller must get no \`pull\` on the private repository. The baseline is this scenario's own: the same request to bench/baseline.ts, which runs the one statement a token needs (the namespace's owner and the repository's publicity, as Berth's) and answers a fixed, unsigned token of the same shape; the gap to it is Berth's HTTP stack, sign-in, scope parsing and ES256 signature.
6. **GraphQL limits**: the legacy \`GET /registry/v1/tag/list/team-01/image-0000\` on embedded PGlite, alone and then while two more load generators (one connection each) keep sending attacks that are refused before they run: 1,000 aliases of a 500-repository page (50 KB) and three levels of \`tags(first: 80)\`. Before timing, each attack must answer 400 \`QUERY_TOO_COMPLEX\`. The goal is a p50 while attacked of at most twice the p50 alone.
7. **Ingest beside reads**: the same read on embedded PGlite, alone and then while two more load generators (one connection each, as two registries) keep delivering envelopes of 100 new pushes of existing tags, the most Berth accepts in one envelope; every delivery must be accepted. An envelope's pushes are applied in a fixed number of statements, whatever their number, and PGlite yields to other requests between a delivery's transactions. The goal is a read p50 beside the deliveries of at most twice the p50 alone.

## Data set

Generated by bench/data.ts with bulk SQL over Berth's migrated schema; every value derives from row numbers, so each run loads identical data.

| | |
| --- | --- |
${Object.entries(run.counts).map(([k, v]) => `| ${k} | ${fixed(v)} |`).join('\n')}

${Math.ceil(run.scale.tagsPerRepository * 0.8)} manifests per repository (OCI and Docker schema 2 alternating, 5 layers each, the first layer shared by every image); the other tags (latest, stable, edge, lts) share their digests. Events: one push per tag, the rest pulls spread over every manifest; repository and manifest counters are set from the events. Load times: ${run.loadTimes.join('; ') || 'reused from an earlier run'}.

## Running it

\`\`\`
npm run bench                 # full scale, writes docs/benchmarks.md
npm run bench -- --quick      # 200 repositories, 100,000 events, short rounds; writes bench/results-quick.md
npm run bench -- --profile    # also writes a V8 CPU profile of the one-process Berth of scenario 1 to bench/profiles/ and prints its hot spots
\`\`\`

Other options: \`--only=1,3\` (scenarios; writes bench/results-partial.md), \`--rounds=N\`, \`--duration=S\`, \`--warmup=S\`, \`--connections=N\`, \`--envelopes=N\`, \`--reuse\` (keep the databases of an earlier run at the same scale). The PostgreSQL server is \`DATABASE_URL\` (default \`postgres://postgres@127.0.0.1:5432/postgres\`); the run creates and replaces the databases \`berth_bench\` and \`berth_bench_nohistory\` there (\`berth_bench_quick…\` in quick mode) and a PGlite folder in the temporary directory. Berth is started from \`dist/\` (the run builds it first) as \`node dist/main.js\` with \`LOG_LEVEL=warn\`, two processes through bench/cluster.js (node:cluster).
`;
}
