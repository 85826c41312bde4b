import { count, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { accounts, namespaces, type Account } from '../db/schema';
import { unauthenticated } from '../errors';
import { generatePassword, hashPassword, verifyPassword } from './passwords';
import type { Viewer } from './viewer';

export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

const toViewer = (account: Account): Viewer => ({ accountId: account.id, name: account.name, role: account.role });

/** The viewer for an `Authorization` header; no header is an anonymous caller, bad credentials are an error. */
export async function authenticate(db: Db, authorization: string | undefined): Promise<Viewer | null> {
  if (!authorization) return null;
  const [scheme, encoded] = authorization.split(' ', 2);
  if (scheme?.toLowerCase() !== 'basic' || !encoded) throw unauthenticated('unsupported Authorization scheme; use Basic');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw unauthenticated('malformed Basic credentials');
  const name = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const [account] = await db.select().from(accounts).where(eq(accounts.name, name)).limit(1);
  // Hash even for an unknown name so that timing does not tell which names exist.
  const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
  if (!account || !ok) throw unauthenticated('wrong account name or password');
  return toViewer(account);
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function createAccount(
  db: Db,
  input: { name: string; password: string; role: Viewer['role']; namespace?: string },
): Promise<Viewer> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [account] = await tx.insert(accounts).values({ name: input.name, passwordHash, role: input.role }).returning();
    if (input.namespace) await tx.insert(namespaces).values({ name: input.namespace, ownerId: account.id });
    return toViewer(account);
  });
}

/**
 * On first start there is no account: create `admin` (owning namespace
 * `admin`; `library` belongs to every admin). Returns the generated password
 * when none was configured, for the caller to print once.
 */
export async function ensureAdmin(db: Db, configured: string | undefined): Promise<{ generatedPassword?: string }> {
  const [{ n }] = await db.select({ n: count() }).from(accounts);
  if (n > 0) return {};
  const password = configured ?? generatePassword();
  await createAccount(db, { name: 'admin', password, role: 'admin', namespace: 'admin' });
  await db.insert(namespaces).values({ name: 'library' }).onConflictDoNothing();
  return configured ? {} : { generatedPassword: password };
}
