import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { hidingParameters } from '../db/query-errors';
import { accessTokens, accounts, namespaces, type Account } from '../db/schema';
import { unauthenticated } from '../errors';
import { hashTokenSecret, isTokenSecret, parseAuthorization } from './credentials';
import { generatePassword, hashPassword, verifyPassword } from './passwords';
import { subjectsOf, type SignInThrottle } from './throttle';
import type { Viewer } from './viewer';

export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

const toViewer = (account: Account): Viewer => ({ accountId: account.id, name: account.name, role: account.role });

/** Where a sign-in came from, and the limit on failed ones. */
export interface SignInContext {
  throttle: SignInThrottle;
  /** The caller's IP address, when there is a network caller. */
  address?: string;
}

/**
 * The viewer for an `Authorization` header: no header is an anonymous
 * caller; Basic (account name and password, or name and access token) and
 * Bearer (access token) sign in; anything else is UNAUTHENTICATED.
 */
export async function authenticate(db: Db, authorization: string | undefined, context: SignInContext): Promise<Viewer | null> {
  const credentials = parseAuthorization(authorization);
  if (!credentials) return null;
  if (credentials.scheme === 'bearer') return toViewer(await accountOfToken(db, credentials.token));
  // `docker login` and curl can only send Basic, so a token is also accepted as the password of its own account.
  if (isTokenSecret(credentials.password)) {
    const account = await accountOfToken(db, credentials.password);
    if (account.name !== credentials.name) throw unauthenticated('this access token belongs to another account');
    return toViewer(account);
  }
  return toViewer(await signIn(db, credentials.name, credentials.password, context));
}

/** Checks an account's password, throttled per account and per address. */
export async function signIn(db: Db, name: string, password: string, context: SignInContext): Promise<Account> {
  // PostgreSQL text cannot hold NUL, so no account has such a name.
  if (name.includes('\0')) throw unauthenticated('wrong account name or password');
  const subjects = subjectsOf(name, context.address);
  await context.throttle.check(subjects);
  const [account] = await db.select().from(accounts).where(eq(accounts.name, name)).limit(1);
  // Hash even for an unknown name so that timing does not tell which names exist.
  const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
  if (!account || !ok) {
    await context.throttle.recordFailure(subjects);
    throw unauthenticated('wrong account name or password');
  }
  return account;
}

/** Touching last_used_at on every request would be a write per request; a minute's precision is enough. */
const LAST_USED_PRECISION_MS = 60_000;

async function accountOfToken(db: Db, secret: string): Promise<Account> {
  const [row] = await hidingParameters(() => db
    .select({
      account: accounts,
      tokenId: accessTokens.id,
      lastUsedAt: accessTokens.lastUsedAt,
      expired: sql<boolean>`coalesce(${accessTokens.expiresAt} <= now(), false)`,
    })
    .from(accessTokens)
    .innerJoin(accounts, eq(accessTokens.accountId, accounts.id))
    .where(eq(accessTokens.secretHash, hashTokenSecret(secret)))
    .limit(1));
  if (!row) throw unauthenticated('access token is not valid (revoked or never issued)');
  if (row.expired) throw unauthenticated('access token has expired');
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db.update(accessTokens).set({ lastUsedAt: sql`now()` }).where(eq(accessTokens.id, row.tokenId));
  }
  return row.account;
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function createAccount(
  db: Db,
  input: { name: string; password: string; role: Viewer['role']; namespace?: string },
): Promise<Viewer> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [account] = await hidingParameters(() => tx.insert(accounts).values({ name: input.name, passwordHash, role: input.role }).returning());
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
