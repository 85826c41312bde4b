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
}

/** The first line, and the generated password when Berth chose one: it is shown this once. */
const withPassword = (done: string, { account, generatedPassword }: CreatedAccount) =>
  generatedPassword ? `${done}\npassword for ${account.name}: ${generatedPassword}\n(shown once; it is not stored, only its hash)` : done;

export const addAccount: Action<NewAccountArgs> = async ({ name, admin, namespace, password }, { services }) => {
  const created = await services.accounts.register({ name, role: admin ? 'admin' : 'user', password, withNamespace: namespace });
  const { account } = created;
  return withPassword(`created ${account.role} account ${account.name}${namespace ? `, owning namespace ${account.name}` : ''}`, created);
};

export const setAccountPassword: Action<PasswordArgs> = async ({ name, password }, { services }) => {
  const changed = await services.accounts.resetPassword(name, password);
  return withPassword(`changed the password of ${changed.account.name}`, changed);
};
