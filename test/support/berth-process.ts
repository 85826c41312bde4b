import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PATIENCE_MS } from './patience';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli/index.js');

/**
 * Compiles src/ into dist/ so the suites that run Berth as a child process
 * test the current code, unless every file in dist/ is already newer than its
 * source (as right after `npm ci`, which builds). Type errors are `npm run
 * check`'s business, so the JavaScript is emitted without type-checking.
 */
export function buildBerth(): void {
  if (!distIsStale()) return;
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--noCheck'], { cwd: ROOT, stdio: 'ignore' });
}

function distIsStale(): boolean {
  const mtime = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const configs = Math.max(mtime(path.join(ROOT, 'tsconfig.json')), mtime(path.join(ROOT, 'tsconfig.build.json')));
  const sources = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return sources.some((source) => {
    const built = mtime(path.join(ROOT, 'dist', source.replace(/\.ts$/, '.js')));
    return built < mtime(path.join(ROOT, 'src', source)) || built < configs;
  });
}

/** Every Berth this file started that has not exited: a test that fails half-way must not leave one keeping its worker alive. */
const running = new Set<ChildProcess>();
afterAll(async () => {
  await Promise.all(
    [...running].map((child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited;
    }),
  );
});

export interface BerthProcess {
  child: ChildProcess;
  /** The base URL once Berth prints that it listens; rejects if it exits first. */
  listening: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout (or stderr) has a line matching `pattern`; rejects if Berth exits first or after PATIENCE_MS. */
  waitForOutput(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<void>;
}

/**
 * Runs the built `berth` CLI with only the environment given (plus PATH),
 * so the test machine's own DATABASE_URL or PORT never leaks in.
 */
export function runBerth(args: string[], env: Record<string, string> = {}, options: Pick<SpawnOptions, 'uid' | 'gid'> = {}): BerthProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_LEVEL: 'info', BERTH_ADMIN_PASSWORD: 'admin-password', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const check of waiters) check();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const check of waiters) check();
  });
  running.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );

  const waitForOutput = (pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout') =>
    new Promise<void>((resolve, reject) => {
      const text = () => (stream === 'stdout' ? out : err);
      const timer = setTimeout(() => done(new Error(`no ${stream} matching ${pattern} within ${PATIENCE_MS} ms; stdout:\n${out}\nstderr:\n${err}`)), PATIENCE_MS);
      timer.unref();
      const done = (error?: Error) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => pattern.test(text()) && done();
      waiters.add(check);
      void exited.then(() => done(pattern.test(text()) ? undefined : new Error(`berth exited before printing ${pattern}; stderr:\n${err}`)));
      check();
    });

  const listening = waitForOutput(/Berth is listening on (http:\/\/\S+)/).then(() => /Berth is listening on (http:\/\/\S+)/.exec(out)![1]);
  listening.catch(() => {});
  return { child, listening, exited, stdout: () => out, stderr: () => err, waitForOutput };
}

/** Runs the CLI to completion, for start-up mistakes and one-shot commands. */
export async function runBerthToExit(args: string[], env: Record<string, string> = {}, options: Pick<SpawnOptions, 'uid' | 'gid'> = {}) {
  const berth = runBerth(args, env, options);
  const timer = setTimeout(() => berth.child.kill('SIGKILL'), PATIENCE_MS).unref();
  const { code } = await berth.exited;
  clearTimeout(timer);
  return { code, stdout: berth.stdout(), stderr: berth.stderr() };
}
