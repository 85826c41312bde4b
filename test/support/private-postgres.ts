import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL cluster of the suite's own, for tests that stop and kill the
 * database: the machine's shared server is never touched. initdb refuses to
 * run as root, so as root the cluster belongs to the `postgres` user.
 */
export interface PrivatePostgres {
  url: string;
  start(): void;
  running(): boolean;
  /** `fast`: PostgreSQL's own fast shutdown; `kill`: SIGKILL to the postmaster, as a crash. */
  stop(how: 'fast' | 'kill'): void;
  remove(): void;
}

const binaries = () => {
  const root = '/usr/lib/postgresql';
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return path.join(root, version, 'bin');
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binaries();
  const dir = mkdtemp();
  const asOwner = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asOwner.length > 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const run = (program: string, args: string[]) => {
    const [command, ...rest] = [...asOwner, path.join(bin, program), ...args];
    execFileSync(command, rest, { stdio: 'pipe', timeout: 120_000 });
  };
  run('initdb', ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const cluster: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    running: () => existsSync(path.join(dir, 'data', 'postmaster.pid')),
    start: () => run('pg_ctl', ['-D', path.join(dir, 'data'), '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '120', 'start']),
    stop(how) {
      if (how === 'fast') return run('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', '-t', '120', 'stop']);
      const pid = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      // The whole cluster at once, as the kernel's OOM killer or a lost machine would: the postmaster and every child it started.
      const children = execFileSync('sh', ['-c', `pgrep -P ${pid} || true`]).toString().split('\n').filter(Boolean).map(Number);
      for (const victim of [pid, ...children]) process.kill(victim, 'SIGKILL');
      const waitGone = `for i in $(seq 1 300); do alive=; for p in ${[pid, ...children].join(' ')}; do kill -0 $p 2>/dev/null && alive=1; done; [ -z "$alive" ] && exit 0; sleep 0.1; done`;
      execFileSync('sh', ['-c', waitGone], { timeout: 60_000 });
      rmSync(path.join(dir, 'data', 'postmaster.pid'), { force: true });
    },
    remove() {
      try {
        cluster.stop('fast');
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}

const mkdtemp = () => mkdtempSync(path.join(os.tmpdir(), 'berth-private-postgres-'));
