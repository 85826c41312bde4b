import { Command } from 'commander';
import { configOf, DATABASE_SETTINGS, withSettings } from '../options';
import { runCommand } from '../run';

export const migrateCommand = withSettings(
  new Command('migrate').description('apply the database migrations and exit (serve also does this on start; a running server applies them itself)'),
  DATABASE_SETTINGS,
).action(async (_options, command: Command) => runCommand(configOf(command), 'migrate', {}));
