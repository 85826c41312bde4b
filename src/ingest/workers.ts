import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import type { Services } from '../services';

export interface RegistryWorkers {
  stop(): Promise<void>;
}

/** How often the manifest worker looks for due work queued by other processes or waiting to be retried. */
const FETCH_POLL_MS = 5_000;

/**
 * With a registry configured: the manifest worker (woken at once when an
 * event queues a fetch) and, when BERTH_SYNC_INTERVAL is set, the periodic
 * sync, which also runs at start to catch up on events missed while Berth
 * was down.
 */
export function startRegistryWorkers(services: Services, config: Pick<Config, 'syncIntervalSeconds'>, log: FastifyBaseLogger): RegistryWorkers {
  if (!services.registry) return { stop: async () => {} };
  const fetcher = startWorker((signal) => services.manifestFetcher.drain(signal), FETCH_POLL_MS, (err) => log.error({ err }, 'fetching manifests failed'));
  services.events.onManifestPending(() => fetcher.nudge());
  const sync =
    config.syncIntervalSeconds > 0
      ? startWorker(
          async () => {
            const result = await services.sync.run();
            log.info({ sync: result }, 'synced with the registry');
            fetcher.nudge();
          },
          config.syncIntervalSeconds * 1000,
          (err) => log.error({ err }, 'sync with the registry failed'),
        )
      : null;
  return {
    async stop() {
      await Promise.all([fetcher.stop(), sync?.stop()]);
    },
  };
}

export interface Worker {
  /** Runs soon, instead of at the next interval (after an event queued work). */
  nudge(): void;
  stop(): Promise<void>;
}

/** Runs `task` every `intervalMs` and whenever nudged, one run at a time, until stopped (which aborts `signal`). */
export function startWorker(task: (signal: AbortSignal) => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void): Worker {
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };
  function run() {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = task(stopping.signal)
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
        schedule(again ? 0 : intervalMs);
        again = false;
      });
  }
  schedule(0);
  return {
    nudge: () => schedule(0),
    async stop() {
      stopped = true;
      stopping.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
