import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PATIENCE_MS } from '../../support/patience';

/** Where the registry sends its events, and the shared secret it sends with them. */
export interface NotificationTarget {
  url: string;
  secret: string;
}

/** Distribution's `auth.token` settings: clients get tokens from `realm`, signed by a key whose certificate is in `rootcertbundle`. */
export interface TokenAuth {
  realm: string;
  service: string;
  issuer: string;
  rootcertbundle: string;
}

export interface StartOptions {
  /** Where to send events: one endpoint, several (each gets every event), or none. */
  notify: NotificationTarget | NotificationTarget[] | null;
  /** Require tokens from this realm for every request; anonymous access when absent. */
  auth?: TokenAuth;
}

export interface Registry {
  /** http://127.0.0.1:<port>, the base of the v2 API. */
  url: string;
  /** host:port, as skopeo names the registry in image references. */
  host: string;
  /**
   * Starts the registry and waits until /v2/ answers. When it is already running,
   * stops it first (SIGTERM, as a service manager would) and starts a new process
   * on the same storage and port: events the old one had queued are lost, as
   * Distribution loses them. `notify: null` runs it without a notification endpoint.
   */
  start(options: StartOptions): Promise<void>;
  /** Stops the process and keeps its storage, so the registry is unreachable until the next start. */
  halt(): Promise<void>;
  /**
   * A blob or manifest exactly as the registry stored it, read from its storage
   * directory: unlike a GET, this sends no pull event and so counts nowhere.
   */
  readBlob(digest: string): Promise<Buffer>;
  /** The registry's own log, for failure messages. */
  log(): Promise<string>;
  /** Stops the process and removes its storage and config. */
  stop(): Promise<void>;
}


/**
 * Debian's docker-registry (Distribution 2.8) on a loopback port reserved now,
 * over filesystem storage in a temporary directory, with deletes enabled and,
 * when asked, a notification endpoint tuned to retry quickly. Nothing runs
 * until `start`, so the URL can go into Berth's configuration first.
 */
export async function createRegistry(): Promise<Registry> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-registry-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dir, 'registry.log');
  const storage = path.join(dir, 'storage');
  let child: ChildProcess | undefined;

  const halt = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  return {
    url,
    host: `127.0.0.1:${port}`,
    async start({ notify, auth }) {
      await halt();
      const configFile = path.join(dir, 'config.yml');
      // JSON is YAML, so the config needs no YAML writer.
      await writeFile(configFile, JSON.stringify(registryConfig(storage, port, notify, auth), null, 2));
      const fd = openSync(logFile, 'a');
      child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', fd, fd] });
      closeSync(fd);
      await waitUntilServing(url, child, logFile);
    },
    halt,
    readBlob: (digest) => readStoredBlob(storage, digest),
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A registry started from a config.yml written elsewhere: `start` and `halt` are the file's business, so it has neither. */
export type ServedRegistry = Pick<Registry, 'url' | 'host' | 'readBlob' | 'log' | 'stop'>;

/**
 * `docker-registry serve <configFile>` on a config someone else wrote (as an
 * operator serves the one `berth registry config` prints), listening on
 * `host` (its http.addr) over filesystem storage in `storage` (its
 * rootdirectory); resolves once /v2/ answers. `stop` ends the process and
 * removes the storage, and leaves the config file alone.
 */
export async function serveRegistry(configFile: string, { host, storage }: { host: string; storage: string }): Promise<ServedRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-registry-log-'));
  const logFile = path.join(dir, 'registry.log');
  const url = `http://${host}`;
  const fd = openSync(logFile, 'a');
  const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
    await rm(storage, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(url, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, host, readBlob: (digest) => readStoredBlob(storage, digest), log: () => readFile(logFile, 'utf8').catch(() => ''), stop };
}

function readStoredBlob(storage: string, digest: string): Promise<Buffer> {
  const [algorithm, encoded] = digest.split(':');
  // Distribution's filesystem layout: <root>/docker/registry/v2/blobs/<algorithm>/<first two>/<encoded>/data
  return readFile(path.join(storage, 'docker/registry/v2/blobs', algorithm, encoded.slice(0, 2), encoded, 'data'));
}

function registryConfig(storage: string, port: number, notify: StartOptions['notify'], auth?: TokenAuth) {
  return {
    ...(auth ? { auth: { token: auth } } : {}),
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: storage },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: `127.0.0.1:${port}`, secret: 'berth-e2e' },
    notifications: {
      events: { includereferences: true },
      endpoints: [notify ?? []].flat().map((target, index) => ({
        name: `berth-${index + 1}`,
        url: target.url,
        headers: { Authorization: [`Bearer ${target.secret}`] },
        timeout: '2s',
        threshold: 3,
        backoff: '1s',
      })),
    },
  };
}

/**
 * A port nothing listens on right now, below the kernel's ephemeral range
 * (net.ipv4.ip_local_port_range starts at 32768 by default): a port the
 * kernel picked for us could be handed to another server listening on port 0
 * (a Berth of another test file, say) before the registry binds it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) continue;
    server.close();
    await once(server, 'close');
    return port;
  }
}

async function waitUntilServing(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) });
      // 401: serving, behind token auth.
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`docker-registry did not answer ${url}/v2/ (exit ${child.exitCode ?? child.signalCode ?? 'none'}):\n${log.slice(-2_000)}`);
}
