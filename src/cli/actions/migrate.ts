import type { Action } from '.';

export const migrateDatabase: Action<Record<string, never>> = async (_args, { database, dataDir }) => {
  await database.migrate();
  return `berth: the ${database.driver === 'pglite' ? `database in ${dataDir}` : 'PostgreSQL database'} is up to date`;
};
