/**
 * The load generator, run as its own process so it never shares an event
 * loop with what it measures: `node -r @swc-node/register bench/load.ts '<json LoadSpec>'`.
 * Prints one JSON line with the autocannon result (and, for ingest, what was sent).
 */
import autocannon from 'autocannon';

export interface IngestTarget {
  repository: string;
  digest: string;
  mediaType: string;
  tag: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration: number;
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Webhook envelopes built per request instead of a fixed body. */
  ingest?: { runId: string; targets: IngestTarget[]; duplicateEvery: number; pushEvery: number };
  /** Webhook envelopes of `size` pushes each, all new. */
  pushEnvelopes?: { runId: string; targets: IngestTarget[]; size: number };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** Filled in by the runner from the server's CPU time. */
  cpuMsPerRequest?: number;
  ingest?: { envelopes: number; uniqueEvents: number; uniquePulls: number; uniquePushes: number; duplicates: number };
}

/** The webhook secret every benchmarked Berth is started with, and the headers a delivery carries. */
export const WEBHOOK_SECRET = 'bench-webhook-secret';
export const WEBHOOK_HEADERS = { 'content-type': 'application/vnd.docker.distribution.events.v1+json', authorization: `Bearer ${WEBHOOK_SECRET}` };

/** An event as Distribution 2.8 sends it (see the captured events). */
function event(id: string, action: 'pull' | 'push', target: IngestTarget, at: Date) {
  return {
    id,
    timestamp: at.toISOString(),
    action,
    target: {
      mediaType: target.mediaType,
      size: 1500,
      digest: target.digest,
      length: 1500,
      repository: target.repository,
      url: `http://registry.local:5000/v2/${target.repository}/manifests/${target.digest}`,
      tag: target.tag,
    },
    request: { id: `${id}-request`, addr: '10.0.0.7:40000', host: 'registry.local:5000', method: action === 'pull' ? 'GET' : 'PUT', useragent: 'docker/24.0.7' },
    actor: {},
    source: { addr: 'registry.local:5000', instanceID: '4fa5eb63-0a79-485d-ac33-c82e443aae24' },
  };
}

/** A one-event envelope, as Distribution sends most. */
export function envelope(id: string, action: 'pull' | 'push', target: IngestTarget, at: Date): string {
  return JSON.stringify({ events: [event(id, action, target, at)] });
}

/** Envelopes of `size` new pushes each, to the targets in turn: the largest Berth accepts is 100. */
function pushEnvelopes(spec: NonNullable<LoadSpec['pushEnvelopes']>) {
  let n = 0;
  const setupRequest = (request: Record<string, unknown>) => {
    const events = Array.from({ length: spec.size }, () => {
      n++;
      return event(`${spec.runId}-${n}`, 'push', spec.targets[n % spec.targets.length], new Date());
    });
    return { ...request, body: JSON.stringify({ events }) };
  };
  return [{ method: 'POST' as const, setupRequest }];
}

function ingestRequests(spec: NonNullable<LoadSpec['ingest']>) {
  const sent: { body: string; action: 'pull' | 'push' }[] = [];
  const stats = { envelopes: 0, uniqueEvents: 0, uniquePulls: 0, uniquePushes: 0, duplicates: 0 };
  const setupRequest = (request: Record<string, unknown>) => {
    const n = stats.envelopes++;
    // Every duplicateEvery-th delivery re-sends an earlier event, as a registry retry does.
    if (n > 0 && n % spec.duplicateEvery === 0) {
      stats.duplicates++;
      return { ...request, body: sent[(n * 7) % sent.length].body };
    }
    const action = n % spec.pushEvery === 1 ? 'push' : 'pull';
    const body = envelope(`${spec.runId}-${n}`, action, spec.targets[n % spec.targets.length], new Date());
    sent.push({ body, action });
    stats.uniqueEvents++;
    if (action === 'pull') stats.uniquePulls++;
    else stats.uniquePushes++;
    return { ...request, body };
  };
  return { requests: [{ method: 'POST' as const, setupRequest }], stats };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const ingest = spec.ingest && ingestRequests(spec.ingest);
  const requests = ingest?.requests ?? (spec.pushEnvelopes && pushEnvelopes(spec.pushEnvelopes));
  const started = performance.now();
  let lastResponse = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration }),
        method: spec.method ?? 'GET',
        headers: requests ? { ...WEBHOOK_HEADERS, ...spec.headers } : spec.headers,
        body: spec.body,
        requests: requests as autocannon.Request[] | undefined,
        timeout: 30,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', () => (lastResponse = performance.now()));
  });
  // With a fixed amount autocannon ends on its next one-second tick, so its duration is rounded up to whole seconds.
  const seconds = spec.amount ? (lastResponse - started) / 1000 : result.duration;
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds,
    ingest: ingest?.stats,
  };
}

if (require.main === module) {
  run(JSON.parse(process.argv[2]) as LoadSpec).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
