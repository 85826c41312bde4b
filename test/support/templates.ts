import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../../src/db/client';

/**
 * Migrated databases made once per test run (jest globalSetup), so a test
 * server starts from a copy instead of running initdb and every migration:
 * a PGlite data folder that each server copies, and on the PostgreSQL server
 * a database that each test database is created from (CREATE DATABASE ...
 * TEMPLATE). Their names carry the run's process id, so runs side by side
 * never share one.
 */
const ROOT = 'BERTH_TEST_ROOT';
const PGLITE_TEMPLATE = 'BERTH_TEST_PGLITE_TEMPLATE';
const POSTGRES_TEMPLATE = 'BERTH_TEST_POSTGRES_TEMPLATE';
const RUN = 'BERTH_TEST_RUN';

/** tmpfs when there is one: copies of the template are written for every server and thrown away. */
const scratchBase = () => (existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir());

/** The run's scratch folder, removed by globalTeardown (a lone worker makes its own). */
export function scratchRoot(): string {
  if (!process.env[ROOT]) process.env[ROOT] = mkdtempSync(path.join(scratchBase(), `berth-test-${process.pid}-`));
  return process.env[ROOT]!;
}

export async function createTemplates(): Promise<void> {
  process.env[RUN] = String(process.pid);
  sweepFoldersOfRunsThatDied();
  await pgliteTemplate();
  if (!process.env.DATABASE_URL) return;
  try {
    await sweepDatabasesOfRunsThatDied();
    const name = `berth_template_${process.pid}`;
    await onServer(`create database ${name}`);
    const migrated = await openDatabase({ databaseUrl: withDatabase(name), dataDir: 'memory://' });
    try {
      await migrated.migrate();
    } finally {
      await migrated.close();
    }
    process.env[POSTGRES_TEMPLATE] = name;
  } catch (error) {
    // The PGlite suites still run; each PostgreSQL test then fails with the server's own error.
    process.stderr.write(`jest: no PostgreSQL template database (${(error as Error).message}); test databases are migrated one by one\n`);
  }
}

export async function dropTemplates(): Promise<void> {
  if (process.env[ROOT]) rmSync(process.env[ROOT], { recursive: true, force: true });
  if (!process.env.DATABASE_URL) return;
  // Test databases a test left behind (one whose server it never closed) go with the template.
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const left = await admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${testDatabasePrefix()})`;
    for (const { datname } of left) await admin.unsafe(`drop database if exists ${datname} with (force)`);
    if (process.env[POSTGRES_TEMPLATE]) await admin.unsafe(`drop database if exists ${process.env[POSTGRES_TEMPLATE]} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * A run stopped before its globalTeardown (Ctrl-C, a killed CI job) leaves its
 * scratch folder in tmpfs, which is memory, and its databases on the server.
 * Both carry the pid of the process that made them; those whose process is
 * gone are removed.
 */
function sweepFoldersOfRunsThatDied(): void {
  for (const entry of readdirSync(scratchBase())) {
    const pid = /^berth-test-(\d+)-/.exec(entry)?.[1];
    if (pid && !alive(Number(pid))) rmSync(path.join(scratchBase(), entry), { recursive: true, force: true });
  }
}

async function sweepDatabasesOfRunsThatDied(): Promise<void> {
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname ~ '^berth_(test|template)_[0-9]+'`;
    for (const { datname } of rows) {
      const pid = Number(/^berth_(?:test|template)_(\d+)/.exec(datname)![1]);
      if (!alive(pid)) await admin.unsafe(`drop database if exists ${datname} with (force)`);
    }
  } finally {
    await admin.end();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Test databases are named after the run (the process that ran globalSetup), so its teardown finds every one. */
const testDatabasePrefix = () => `berth_test_${process.env[RUN] ?? process.pid}_`;

/**
 * A new folder holding a migrated, empty PGlite database, for a test server
 * or a Berth child process; at `destination`, or in the run's scratch folder.
 */
export async function migratedDataDir(destination?: string): Promise<string> {
  const template = await pgliteTemplate();
  const dir = destination ?? path.join(mkdtempSync(path.join(scratchRoot(), 'db-')), 'pglite');
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Made by globalSetup; without it (one file run by a script), by the first server of the process. */
let making: Promise<string> | undefined;
function pgliteTemplate(): Promise<string> {
  if (process.env[PGLITE_TEMPLATE]) return Promise.resolve(process.env[PGLITE_TEMPLATE]);
  making ??= (async () => {
    const template = path.join(scratchRoot(), 'pglite-template');
    const database = await openDatabase({ dataDir: template });
    await database.migrate();
    // Closing checkpoints, so a copy opens without recovery; the lock beside it goes too.
    await database.close();
    return (process.env[PGLITE_TEMPLATE] = template);
  })();
  return making;
}

/** A new database on the PostgreSQL server, copied from the run's migrated template when there is one (unless `empty`); returns its URL and name. */
export async function createTestDatabase({ empty = false } = {}): Promise<{ url: string; name: string }> {
  const name = `${testDatabasePrefix()}${randomBytes(4).toString('hex')}`;
  const template = empty ? undefined : process.env[POSTGRES_TEMPLATE];
  await onServer(template ? `create database ${name} template ${template}` : `create database ${name}`);
  return { url: withDatabase(name), name };
}

export const dropTestDatabase = (name: string) => onServer(`drop database if exists ${name} with (force)`);

function withDatabase(name: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on the PostgreSQL server at DATABASE_URL over a connection of its own, closed right after. */
async function onServer(statement: string): Promise<void> {
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end();
  }
}
