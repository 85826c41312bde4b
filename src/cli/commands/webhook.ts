import { Command } from 'commander';
import { configOf, DATABASE_SETTINGS, withSettings } from '../options';
import { runCommand } from '../run';

const rotate = withSettings(
  new Command('rotate').description("make a new secret for the registry's webhook deliveries; the previous one stays accepted until `webhook finish`, or for a day"),
  DATABASE_SETTINGS,
).action(async (_options, command: Command) => runCommand(configOf(command), 'webhook rotate', {}));

const finish = withSettings(
  new Command('finish').description('stop accepting the previous webhook secret, once the registry sends the new one'),
  DATABASE_SETTINGS,
).action(async (_options, command: Command) => runCommand(configOf(command), 'webhook finish', {}));

export const webhookCommand = new Command('webhook').description("manage the secret the registry's webhook deliveries carry").addCommand(rotate).addCommand(finish);
