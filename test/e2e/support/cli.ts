import { execFile } from 'node:child_process';
import path from 'node:path';
import { PATIENCE_MS } from '../../support/patience';

const root = path.resolve(__dirname, '../../..');

export interface CliRun {
  code: number;
  /** stdout then stderr. */
  output: string;
  /** stdout alone: a command's result, such as the config `berth registry config` prints. */
  stdout: string;
}

/**
 * Runs the `berth` command line from source, as an operator would run the
 * built one, with only the given settings: the test's own environment (its
 * DATABASE_URL above all) must not leak into it.
 */
export function berthCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', path.join(root, 'src/cli/index.ts'), ...args],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: PATIENCE_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}`, stdout });
      },
    );
  });
}
