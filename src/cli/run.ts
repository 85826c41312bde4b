import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config';
import { handToServer } from '../control/client';
import { controlSocketOf, type CommandRequest } from '../control/protocol';
import type { Database } from '../db/client';
import { BerthError } from '../errors';
import { createServices } from '../services';
import { openMigratedDatabase } from '../start';
import { StartupError } from '../startup-error';
import { errorCode } from '../system-error';
import { runAction, type ArgsOf, type CommandName } from './actions';
import { terminalOutput, type CommandOutput } from './terminal';

export interface RunOptions {
  /** Settings the command needs when the command line opens the database itself; a running server brings its own. */
  checkSettings?(config: Config): void;
}

/** How long a command waits for the process holding the data folder: a server still starting, or another command finishing. */
const LOCKED_WAIT_MS = 10_000;
const LOCKED_POLL_MS = 250;

/** A data folder another process holds: the lock failure behind the start-up error. */
const isLocked = (error: unknown) => error instanceof StartupError && errorCode(error.cause) === 'ELOCKED';

/**
 * Hands the command to the Berth server running on the data folder, or opens
 * the database when none runs; a folder another process holds is tried
 * again for a few seconds. Null when the server ran the command.
 */
async function handOrOpen(config: Config, request: CommandRequest, output: CommandOutput, options: RunOptions): Promise<Database | null> {
  const socket = config.databaseUrl ? null : controlSocketOf(config.dataDir);
  const deadline = Date.now() + LOCKED_WAIT_MS;
  let waiting = false;
  for (;;) {
    if (socket && (await handToServer(socket, request, output))) return null;
    options.checkSettings?.(config);
    try {
      return await openMigratedDatabase(config);
    } catch (error) {
      if (!socket || !isLocked(error) || Date.now() > deadline) throw error;
      if (!waiting) output.note(`waiting for the Berth process that holds ${config.dataDir}…`);
      waiting = true;
      await sleep(LOCKED_POLL_MS);
    }
  }
}

/**
 * Runs a command of the command line. On embedded PGlite a running Berth
 * holds the data folder, so the command goes to it through the control
 * socket beside the folder and runs there, with the server's own services
 * and settings; with no server running, or on PostgreSQL (which many
 * processes share), the command line opens the database itself. Either way
 * the same action runs, so the two cannot behave differently.
 */
export async function runCommand<N extends CommandName>(config: Config, command: N, args: ArgsOf<N>, options: RunOptions = {}): Promise<void> {
  const output = terminalOutput();
  const database = await handOrOpen(config, { command, args }, output, options);
  if (!database) return;
  // Ctrl-C stops a long command between steps, so the database still closes cleanly; a second one exits at once.
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const services = createServices(database.db, config);
    output.result(await runAction(command, args, { services, database, config, signal: interrupt.signal, progress: output.progress }));
  } catch (error) {
    if (error instanceof BerthError) output.refuse(error.message);
    else if (interrupt.signal.aborted) output.refuse('interrupted');
    else throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
    await database.close();
  }
}
