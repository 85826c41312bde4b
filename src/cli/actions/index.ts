import type { Config } from '../../config';
import type { Database } from '../../db/client';
import { badInput } from '../../errors';
import type { Services } from '../../services';
import { addAccount, setAccountPassword, unlockAccount } from './account';
import { migrateDatabase } from './migrate';
import { registryConfig } from './registry';
import { syncRegistry } from './sync';
import { rotateTokenKey } from './token';
import { finishWebhookRotation, rotateWebhookSecret } from './webhook';

/** What a command runs with: a running server's own services, or those of a database the command line opened itself. */
export interface ActionContext {
  services: Services;
  database: Database;
  /** The settings of the process that runs the command: a running server's own, or the command line's. */
  config: Config;
  /** Aborted when the command line is gone or the server stops; a long command ends at its next step. */
  signal: AbortSignal;
  /** How far a long command is (a line that rewrites itself on a terminal). */
  progress(text: string): void;
}

/** A command's one implementation, whichever process runs it; it answers its result text or throws a BerthError to refuse. */
export type Action<Args> = (args: Args, context: ActionContext) => Promise<string>;

/** The commands a running server runs for the command line, by the words that name them. */
export const ACTIONS = {
  'account add': addAccount,
  'account passwd': setAccountPassword,
  'account unlock': unlockAccount,
  sync: syncRegistry,
  migrate: migrateDatabase,
  'registry config': registryConfig,
  'token rotate': rotateTokenKey,
  'webhook rotate': rotateWebhookSecret,
  'webhook finish': finishWebhookRotation,
};

export type CommandName = keyof typeof ACTIONS;
export type ArgsOf<N extends CommandName> = Parameters<(typeof ACTIONS)[N]>[0];

const isCommandName = (name: string): name is CommandName => Object.hasOwn(ACTIONS, name);

/**
 * Runs a command by name. The arguments come from the command line of the
 * same OS user (directly, or through the control socket only that user can
 * open), so they are trusted to have the shape that command line sends.
 */
export async function runAction(command: string, args: object, context: ActionContext): Promise<string> {
  if (!isCommandName(command)) throw badInput(`this Berth has no command "${command}"; a server older than the command line needs a restart`);
  return (ACTIONS[command] as Action<object>)(args, context);
}
