import { and, count, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { hashTokenSecret, isTokenSecret, parseAuthorization } from '../auth/credentials';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../auth/passwords';
import type { SignInThrottle } from '../auth/throttle';
import { VerifiedPasswords } from '../auth/verified-passwords';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { hidingParameters } from '../db/query-errors';
import { accessTokens, accounts, namespaces, type AccessTokenPermission, type Account } from '../db/schema';
import { badInput, BerthError, conflict, ErrorCode, forbidden, notFound, tooManyRequests, unauthenticated } from '../errors';
import { LIBRARY, NAMESPACE_NAME } from './namespaces';

export type Role = Viewer['role'];

export interface AccountRecord {
  id: number;
  name: string;
  role: Role;
  createdAt: Date;
}

export interface NewAccount {
  name: string;
  role: Role;
  /** Generated (and returned once) when absent. */
  password?: string;
  /** Also create the namespace of the same name, owned by the account (what `berth account add` does). */
  withNamespace?: boolean;
}

export interface PasswordReset extends CreatedAccount {
  /** Access tokens of the account: revoked, when `tokensRevoked`; otherwise, those that still sign in. */
  tokens: number;
  tokensRevoked: boolean;
}

export interface CreatedAccount {
  account: AccountRecord;
  /** The password Berth chose, when the caller gave none; it is never stored or shown again. */
  generatedPassword?: string;
}

export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

const accountColumns = { id: accounts.id, name: accounts.name, role: accounts.role, createdAt: accounts.createdAt };

/** A password signs in with `write`; an access token with its own permission. */
const toViewer = (account: Pick<Account, 'id' | 'name' | 'role'>, token?: { permission: AccessTokenPermission }): Viewer => ({
  accountId: account.id,
  name: account.name,
  role: account.role,
  permission: token?.permission ?? 'write',
  signedInWith: token ? 'token' : 'password',
});

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw badInput(`a password ${problem}`);
}

/** Touching last_used_at on every request would be a write per request; a minute's precision is enough. */
const LAST_USED_PRECISION_MS = 60_000;

/** Verified for an unknown name too, so that timing does not tell which names exist. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * Accounts: who a caller is (sign-in with a password or an access token,
 * throttled), and creating and changing accounts through one validated path.
 * Methods taking a viewer serve API callers and decide access; `register`,
 * `resetPassword` and `ensureAdmin` serve the operator (start-up and the
 * command line), who holds the database itself.
 */
export class AccountService {
  private readonly verified = new VerifiedPasswords();

  constructor(
    private readonly db: Db,
    private readonly throttle: SignInThrottle,
  ) {}

  /**
   * The viewer for an `Authorization` header: no header is an anonymous
   * caller; Basic (account name and password, or name and access token) and
   * Bearer (access token) sign in; anything else is UNAUTHENTICATED. Failed
   * password sign-ins count against the account and `address`.
   */
  async authenticate(authorization: string | undefined, address?: string): Promise<Viewer | null> {
    const credentials = parseAuthorization(authorization);
    if (!credentials) return null;
    if (credentials.scheme === 'bearer') {
      const { account, permission } = await this.accountOfToken(credentials.token);
      return toViewer(account, { permission });
    }
    // `docker login` and curl can only send Basic, so a token is also accepted as the password of its own account.
    if (isTokenSecret(credentials.password)) {
      const { account, permission } = await this.accountOfToken(credentials.password);
      if (account.name !== credentials.name) throw unauthenticated('this access token belongs to another account');
      return toViewer(account, { permission });
    }
    return toViewer(await this.signIn(credentials.name, credentials.password, address));
  }

  async find(viewer: Viewer | null): Promise<AccountRecord | null> {
    if (!viewer) return null;
    const [row] = await this.db.select(accountColumns).from(accounts).where(eq(accounts.id, viewer.accountId)).limit(1);
    return row ?? null;
  }

  /** Admins create accounts. */
  async create(viewer: Viewer | null, input: NewAccount): Promise<CreatedAccount> {
    if (!viewer) throw unauthenticated('sign in as an admin to create accounts');
    if (viewer.role !== 'admin') throw forbidden('only admins can create accounts');
    return this.register(input);
  }

  /** Creates an account (and, when asked, its namespace) in one transaction: both or neither. */
  async register(input: NewAccount): Promise<CreatedAccount> {
    if (!ACCOUNT_NAME.test(input.name)) {
      throw badInput('an account name is 1 to 63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
    }
    if (input.withNamespace && (!NAMESPACE_NAME.test(input.name) || input.name === LIBRARY)) {
      throw badInput(`${input.name} cannot name a namespace (2 to 30 lowercase letters, digits, "_" or "-"; not ${LIBRARY}): create the account without one`);
    }
    if (input.password !== undefined) checkPassword(input.password);
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    const account = await this.db.transaction(async (tx) => {
      const [created] = await hidingParameters(() =>
        tx.insert(accounts).values({ name: input.name, role: input.role, passwordHash }).onConflictDoNothing().returning(accountColumns),
      );
      if (!created) throw conflict(`account ${input.name} already exists`);
      if (input.withNamespace) await claimNamespace(tx, input.name, created.id);
      return created;
    });
    return input.password === undefined ? { account, generatedPassword: password } : { account };
  }

  /**
   * On first start there is no account: create `admin` (owning namespace
   * `admin`; the ownerless `library` belongs to every admin). Returns the
   * generated password when none was configured, for the caller to print once.
   */
  async ensureAdmin(configured: string | undefined): Promise<{ generatedPassword?: string }> {
    const [{ n }] = await this.db.select({ n: count() }).from(accounts);
    if (n > 0) return {};
    await this.db.insert(namespaces).values({ name: LIBRARY }).onConflictDoNothing();
    try {
      return await this.register({ name: 'admin', role: 'admin', password: configured, withNamespace: true });
    } catch (error) {
      // Another process starting on the same empty database made it first: its password is the one shown.
      if (error instanceof BerthError && error.code === ErrorCode.Conflict) return {};
      throw error;
    }
  }

  /**
   * A signed-in caller changes their own password, proving they know the
   * current one; `revokeTokens` also revokes every access token of the
   * account, in the same transaction (after a leak, say).
   */
  async changePassword(viewer: Viewer | null, currentPassword: string, newPassword: string, revokeTokens = false): Promise<AccountRecord> {
    if (!viewer) throw unauthenticated('sign in to change your password');
    try {
      await this.signIn(viewer.name, currentPassword);
    } catch (error) {
      // A wrong current password is a mistake in the input, not a failed sign-in of the request itself.
      if (error instanceof BerthError && error.code === ErrorCode.Unauthenticated) throw badInput('the current password is wrong');
      throw error;
    }
    checkPassword(newPassword);
    const passwordHash = await hashPassword(newPassword);
    return this.db.transaction(async (tx) => {
      if (revokeTokens) await tx.delete(accessTokens).where(eq(accessTokens.accountId, viewer.accountId));
      return this.storePasswordHash(tx, viewer.name, passwordHash);
    });
  }

  /**
   * The operator sets an account's password (generating one when none is
   * given) and lifts its sign-in limits; `revokeTokens` also revokes every
   * access token of the account, in the same transaction. Answers how many
   * tokens were revoked, or still sign in.
   */
  async resetPassword(name: string, password?: string, { revokeTokens = false } = {}): Promise<PasswordReset> {
    if (password !== undefined) checkPassword(password);
    const chosen = password ?? generatePassword();
    const passwordHash = await hashPassword(chosen);
    const { account, tokens } = await this.db.transaction(async (tx) => {
      const account = await this.storePasswordHash(tx, name, passwordHash);
      const ofAccount = eq(accessTokens.accountId, account.id);
      const tokens = revokeTokens
        ? (await tx.delete(accessTokens).where(ofAccount).returning({ id: accessTokens.id })).length
        : (await tx.select({ n: count() }).from(accessTokens).where(and(ofAccount, or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, sql`now()`)))))[0].n;
      return { account, tokens };
    });
    await this.throttle.unlock(name);
    return { account, tokens, tokensRevoked: revokeTokens, ...(password === undefined ? { generatedPassword: chosen } : {}) };
  }

  /** The operator lifts an account's sign-in limits, from every address. */
  async unlock(name: string): Promise<void> {
    const [account] = await this.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, name)).limit(1);
    if (!account) throw notFound(`account ${name} not found`);
    await this.throttle.unlock(name);
  }

  /** Checks an account's password, within the sign-in limits (auth/throttle.ts). */
  private async signIn(name: string, password: string, address?: string): Promise<Account> {
    // PostgreSQL text cannot hold NUL, so no account has such a name.
    if (name.includes('\0')) throw unauthenticated('wrong account name or password');
    const [account] = await this.db.select().from(accounts).where(eq(accounts.name, name)).limit(1);
    // A password seen right a moment ago needs no check, but the limits still apply: a locked guesser must not learn it is right.
    const remembered = Boolean(account) && this.verified.holds(name, password, account.passwordHash);
    const reservation = await this.throttle.reserve({ name, address, known: Boolean(account) }, { charge: !remembered });
    const ok = remembered || (await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH));
    if (account && ok) {
      this.verified.remember(name, password, account.passwordHash);
      await reservation.succeeded();
      return account;
    }
    await this.throttle.forgetExpired();
    // An address out of guesses at unknown names hears 429 for a known one too, so the two cannot be told apart.
    if (reservation.addressSpent) throw tooManyRequests('too many failed sign-ins; try again later', 1);
    throw unauthenticated('wrong account name or password');
  }

  private async accountOfToken(secret: string): Promise<{ account: Account; permission: AccessTokenPermission }> {
    const [row] = await hidingParameters(() =>
      this.db
        .select({
          account: accounts,
          tokenId: accessTokens.id,
          permission: accessTokens.permission,
          lastUsedAt: accessTokens.lastUsedAt,
          expired: sql<boolean>`coalesce(${accessTokens.expiresAt} <= now(), false)`,
        })
        .from(accessTokens)
        .innerJoin(accounts, eq(accessTokens.accountId, accounts.id))
        .where(eq(accessTokens.secretHash, hashTokenSecret(secret)))
        .limit(1),
    );
    if (!row) throw unauthenticated('access token is not valid (revoked or never issued)');
    if (row.expired) throw unauthenticated('access token has expired');
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
      await this.db.update(accessTokens).set({ lastUsedAt: sql`now()` }).where(eq(accessTokens.id, row.tokenId));
    }
    return { account: row.account, permission: row.permission };
  }

  private async storePasswordHash(db: Db, name: string, passwordHash: string): Promise<AccountRecord> {
    const [account] = await hidingParameters(() =>
      db.update(accounts).set({ passwordHash, updatedAt: new Date() }).where(eq(accounts.name, name)).returning(accountColumns),
    );
    if (!account) throw notFound(`account ${name} not found`);
    return account;
  }
}

/**
 * Gives a new account the namespace of its name: a new one, or one that
 * registry events created without an owner. One another account owns is a
 * conflict, and the account is not created either.
 */
async function claimNamespace(tx: Db, name: string, ownerId: number): Promise<void> {
  const [claimed] = await tx
    .insert(namespaces)
    .values({ name, ownerId })
    .onConflictDoUpdate({ target: namespaces.name, set: { ownerId }, setWhere: sql`${namespaces.ownerId} is null` })
    .returning({ id: namespaces.id });
  if (!claimed) throw conflict(`namespace ${name} belongs to another account`);
}
