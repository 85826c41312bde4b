import type { Action } from '.';

export const migrateDatabase: Action<Record<string, never>> = async (_args, { database, config }) => {
  await database.migrate();
  return `berth: the ${database.driver === 'pglite' ? `database in ${config.dataDir}` : 'PostgreSQL database'} is up to date`;
};
