import type { CreatedAccount } from '../../services/accounts';
import type { Action } from '.';

export interface NewAccountArgs {
  name: string;
  admin: boolean;
  /** Create the namespace of the same name, owned by the account. */
  namespace: boolean;
  /** Generated, and shown once, when absent. */
  password?: string;
}

export interface PasswordArgs {
  name: string;
  password?: string;
  /** Also revoke every access token of the account (after a leak). */
  revokeTokens?: boolean;
}

export interface UnlockArgs {
  name: string;
}

/** The first line, and the generated password when Berth chose one: it is shown this once. */
const withPassword = (done: string, { account, generatedPassword }: CreatedAccount) =>
  generatedPassword ? `${done}\npassword for ${account.name}: ${generatedPassword}\n(shown once; it is not stored, only its hash)` : done;

export const addAccount: Action<NewAccountArgs> = async ({ name, admin, namespace, password }, { services }) => {
  const created = await services.accounts.register({ name, role: admin ? 'admin' : 'user', password, withNamespace: namespace });
  const { account } = created;
  return withPassword(`created ${account.role} account ${account.name}${namespace ? `, owning namespace ${account.name}` : ''}`, created);
};

const tokensWord = (n: number) => `${n} access token${n === 1 ? '' : 's'}`;

export const setAccountPassword: Action<PasswordArgs> = async ({ name, password, revokeTokens }, { services }) => {
  const changed = await services.accounts.resetPassword(name, password, { revokeTokens });
  const tokens = changed.tokensRevoked
    ? `revoked its ${tokensWord(changed.tokens)}`
    : changed.tokens > 0
      ? `its ${tokensWord(changed.tokens)} still sign${changed.tokens === 1 ? 's' : ''} in (--revoke-tokens revokes them)`
      : 'it has no access tokens';
  return withPassword(`changed the password of ${changed.account.name} and lifted its sign-in limits; ${tokens}`, changed);
};

export const unlockAccount: Action<UnlockArgs> = async ({ name }, { services }) => {
  await services.accounts.unlock(name);
  return `lifted the sign-in limits of ${name}: its right password signs in from every address again`;
};
