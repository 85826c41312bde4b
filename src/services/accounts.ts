import { eq } from 'drizzle-orm';
import { ACCOUNT_NAME, signIn } from '../auth/accounts';
import { generatePassword, hashPassword } from '../auth/passwords';
import type { SignInThrottle } from '../auth/throttle';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { hidingParameters } from '../db/query-errors';
import { accounts } from '../db/schema';
import { badInput, BerthError, conflict, ErrorCode, forbidden, notFound, unauthenticated } from '../errors';

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
}

export interface CreatedAccount {
  account: AccountRecord;
  /** The password Berth chose, when the caller gave none; it is never stored or shown again. */
  generatedPassword?: string;
}

const accountColumns = { id: accounts.id, name: accounts.name, role: accounts.role, createdAt: accounts.createdAt };

/** Long enough to resist guessing under the sign-in limit; short enough that hashing cannot be abused. */
export const PASSWORD_LENGTH = { min: 10, max: 1024 };

function checkPassword(password: string): void {
  if (password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max) {
    throw badInput(`a password must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters long`);
  }
}

/**
 * Accounts and their passwords. Methods taking a viewer serve API callers
 * and decide access; `register` and `resetPassword` serve the operator's
 * command line, which has the database itself and so needs no check.
 */
export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly throttle: SignInThrottle,
  ) {}

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

  async register(input: NewAccount): Promise<CreatedAccount> {
    if (!ACCOUNT_NAME.test(input.name)) {
      throw badInput('an account name is 1 to 63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
    }
    if (input.password !== undefined) checkPassword(input.password);
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    const [account] = await hidingParameters(() =>
      this.db.insert(accounts).values({ name: input.name, role: input.role, passwordHash }).onConflictDoNothing().returning(accountColumns),
    );
    if (!account) throw conflict(`account ${input.name} already exists`);
    return input.password === undefined ? { account, generatedPassword: password } : { account };
  }

  /** A signed-in caller changes their own password, proving they know the current one. */
  async changePassword(viewer: Viewer | null, currentPassword: string, newPassword: string): Promise<AccountRecord> {
    if (!viewer) throw unauthenticated('sign in to change your password');
    try {
      await signIn(this.db, viewer.name, currentPassword, { throttle: this.throttle });
    } catch (error) {
      // A wrong current password is a mistake in the input, not a failed sign-in of the request itself.
      if (error instanceof BerthError && error.code === ErrorCode.Unauthenticated) throw badInput('the current password is wrong');
      throw error;
    }
    checkPassword(newPassword);
    return this.setPassword(viewer.name, newPassword);
  }

  /** Sets an account's password, generating one when none is given. */
  async resetPassword(name: string, password?: string): Promise<{ account: AccountRecord; generatedPassword?: string }> {
    if (password !== undefined) checkPassword(password);
    const chosen = password ?? generatePassword();
    const account = await this.setPassword(name, chosen);
    return password === undefined ? { account, generatedPassword: chosen } : { account };
  }

  private async setPassword(name: string, password: string): Promise<AccountRecord> {
    const passwordHash = await hashPassword(password);
    const [account] = await hidingParameters(() =>
      this.db.update(accounts).set({ passwordHash, updatedAt: new Date() }).where(eq(accounts.name, name)).returning(accountColumns),
    );
    if (!account) throw notFound(`account ${name} not found`);
    return account;
  }
}
