import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { WEBHOOK_SECRET } from './load';

export const ROOT = path.resolve(__dirname, '..');

export interface Server {
  name: string;
  url: string;
  /** The processes that serve requests (the workers of a cluster, not its primary). */
  pids(): number[];
  /** Largest resident set any serving process has had since it started, in MB (VmHWM). */
  peakRssMb(): number;
  /** CPU time used so far by every process of the server (a cluster's primary too), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function peakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 10 ms. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

async function waitUntilHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited with ${child.exitCode} before it was ready:\n${output()}`);
    const healthy = await fetch(url).then((r) => r.ok, () => false);
    if (healthy) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s:\n${output()}`);
}

async function start(name: string, args: string[], env: Record<string, string>, healthPath: string, workerPids?: (out: string) => number[]) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(`${url}${healthPath}`, child, () => output);
  if (workerPids) {
    const deadline = Date.now() + 30_000;
    while (workerPids(output).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  }
  const pids = () => (workerPids ? workerPids(output) : [child.pid!]);
  const server: Server = {
    name,
    url,
    pids,
    peakRssMb: () => Math.max(0, ...pids().map(peakRssMb)),
    cpuMs: () => [...new Set([child.pid!, ...pids()])].reduce((sum, pid) => sum + cpuMs(pid), 0),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
  return server;
}

export interface BerthOptions {
  databaseUrl?: string;
  dataDir?: string;
  processes?: number;
  sqlStats?: boolean;
  /** Folder for a V8 CPU profile of each Berth process, written when it stops. */
  profileDir?: string;
  adminPassword: string;
  /** Extra Node.js flags (NODE_OPTIONS), to compare runtime settings. */
  nodeOptions?: string;
}

/** Berth from dist/, as production runs it: one process, or a node:cluster of several on one port. */
export function startBerth(name: string, options: BerthOptions): Promise<Server> {
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    BERTH_DEMO: '0',
    BERTH_ADMIN_PASSWORD: options.adminPassword,
    BERTH_SQL_STATS: options.sqlStats ? '1' : '0',
    BERTH_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.dataDir ? { BERTH_DATA_DIR: options.dataDir } : {}),
    ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
  };
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  if ((options.processes ?? 1) === 1) return start(name, [...profile, 'dist/main.js'], env, '/healthz');
  return start(name, ['bench/cluster.js'], { ...env, BERTH_WORKERS: String(options.processes) }, '/healthz', (out) => {
    const match = /^workers ([\d ]+)$/m.exec(out);
    return match ? match[1].split(' ').map(Number) : [];
  });
}

export function startBaseline(databaseUrl: string): Promise<Server> {
  return start('baseline', ['-r', '@swc-node/register', 'bench/baseline.ts'], { DATABASE_URL: databaseUrl }, '/health');
}
