import { Command } from 'commander';
import { openMigratedDatabase } from '../../start';
import { configOf, DATABASE_SETTINGS, withSettings } from '../options';

export const migrateCommand = withSettings(
  new Command('migrate').description('apply the database migrations and exit (serve also does this on start)'),
  DATABASE_SETTINGS,
).action(async (_options, command: Command) => {
  const config = configOf(command);
  const database = await openMigratedDatabase(config);
  await database.close();
  console.log(`berth: the ${database.driver === 'pglite' ? `database in ${config.dataDir}` : 'PostgreSQL database'} is up to date`);
});
