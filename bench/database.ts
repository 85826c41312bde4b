import { rmSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { hashTokenSecret, TOKEN_PREFIX } from '../src/auth/credentials';
import { hashPassword } from '../src/auth/passwords';
import { openDatabase, type Db } from '../src/db/client';
import { accessTokens, accounts } from '../src/db/schema';
import { createServices } from '../src/services';
import { catalogStatements, historyStatements, type Scale } from './data';

export const ADMIN_PASSWORD = 'bench-admin-password';

/**
 * The caller of scenario 5 that signs in: owner-02 owns team-02, whose
 * repositories are all private, with the password every owner has and a
 * read access token whose secret is fixed, so a reused database keeps it.
 */
export const BENCH_OWNER = { name: 'owner-02', password: 'bench-owner-password', token: `${TOKEN_PREFIX}bench-read-token-of-owner-02` };

async function addOwnerToken(db: Db) {
  const [owner] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, BENCH_OWNER.name));
  await db.insert(accessTokens).values({ accountId: owner.id, name: 'bench', secretHash: hashTokenSecret(BENCH_OWNER.token), permission: 'read' });
}

export const databaseUrlFor = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

async function timed(log: (line: string) => void, label: string, work: () => Promise<unknown>) {
  const started = Date.now();
  await work();
  log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Runs Berth's migrations, creates the admin account, then the catalog and the owner's token; returns how long it took. */
async function loadCatalog(databaseUrl: string | undefined, dataDir: string, scale: Scale, log: (line: string) => void) {
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: 1 });
  try {
    await database.migrate();
    await createServices(database.db).accounts.ensureAdmin(ADMIN_PASSWORD);
    const statements = catalogStatements(scale, await hashPassword(BENCH_OWNER.password));
    await timed(log, 'catalog', async () => {
      for (const statement of statements) await database.db.execute(statement);
    });
    await addOwnerToken(database.db);
  } finally {
    await database.close();
  }
}

/**
 * Creates `<name>` (catalog and full event history) and `<name>_nohistory`
 * (the same catalog, no events) on the PostgreSQL server, replacing any
 * earlier copies.
 */
export async function loadPostgres(serverUrl: string, name: string, scale: Scale, log: (line: string) => void) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    for (const db of [name, `${name}_nohistory`]) await admin.unsafe(`drop database if exists ${db} with (force)`);
    await admin.unsafe(`create database ${name}`);
    await loadCatalog(databaseUrlFor(serverUrl, name), '', scale, log);
    // A copy taken before the history, so REST latency can be compared with and without it.
    await admin.unsafe(`create database ${name}_nohistory template ${name}`);
  } finally {
    await admin.end();
  }
  const bench = postgres(databaseUrlFor(serverUrl, name), { max: 1, onnotice: () => {} });
  try {
    await timed(log, `history (${scale.events.toLocaleString('en')} events)`, async () => {
      for (const statement of historyStatements(scale)) await bench.unsafe(statement);
    });
  } finally {
    await bench.end();
  }
}

/** The same data set in an embedded PGlite folder. */
export async function loadPglite(dataDir: string, scale: Scale, log: (line: string) => void) {
  rmSync(dataDir, { recursive: true, force: true });
  await loadCatalog(undefined, dataDir, scale, log);
  const database = await openDatabase({ dataDir, poolSize: 1 });
  try {
    await timed(log, `history (${scale.events.toLocaleString('en')} events)`, async () => {
      for (const statement of historyStatements(scale)) await database.db.execute(statement);
    });
  } finally {
    await database.close();
  }
}
