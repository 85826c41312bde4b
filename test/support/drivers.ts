export type Driver = 'pglite' | 'postgres';

/** The driver of the jest project running this file (set by driver-pglite.ts or driver-postgres.ts). */
export const driver = (process.env.BERTH_TEST_DRIVER ?? 'pglite') as Driver;

/**
 * Every suite that applies to one driver only, by its describe name; all
 * other suites run on both. Keeping the exceptions in one list shows at a
 * glance what one driver's run does not cover.
 */
const ONLY_ON: Record<string, { driver: Driver; why: string }> = {
  'graceful shutdown': { driver: 'pglite', why: 'runs the built CLI over a PGlite data folder of its own, whatever the driver' },
  'start-up mistakes exit 1 with one line saying what to fix': { driver: 'pglite', why: 'as above' },
  'command line': { driver: 'pglite', why: 'as above' },
  'commands while a server runs on the embedded database': { driver: 'pglite', why: 'as above' },
  'the admin password': { driver: 'pglite', why: 'as above' },
  'bounded log lines': { driver: 'pglite', why: 'as above' },
  'PostgreSQL connection settings': { driver: 'postgres', why: 'embedded PGlite has one connection and no pool' },
  'start-up of several processes on one empty database': { driver: 'postgres', why: 'embedded PGlite is one process\'s database' },
  'sign-in limits across Berth processes': { driver: 'postgres', why: 'embedded PGlite is one process\'s database' },
};

/** `describe` for a suite listed in ONLY_ON: it runs on its driver and is reported as skipped on the other. */
export function suite(name: string, body: () => void): void {
  const only = ONLY_ON[name];
  if (!only) throw new Error(`suite "${name}" is not listed in test/support/drivers.ts; use describe for a suite that runs on both drivers`);
  (only.driver === driver ? describe : describe.skip)(name, body);
}
