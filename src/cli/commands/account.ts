import { Command } from 'commander';
import { BerthError } from '../../errors';
import { createServices } from '../../services';
import type { AccountService } from '../../services/accounts';
import { openMigratedDatabase } from '../../start';
import { configOf, DATABASE_SETTINGS, withSettings } from '../options';

/** The password piped in (`--password-stdin`), without its final newline; piping keeps it out of shell history and `ps`. */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Runs one change against the configured database; a refused change (name taken, password too short) is one line on stderr. */
async function withAccounts(command: Command, change: (accounts: AccountService) => Promise<string>): Promise<void> {
  const database = await openMigratedDatabase(configOf(command));
  try {
    console.log(await change(createServices(database.db).accounts));
  } catch (error) {
    if (!(error instanceof BerthError)) throw error;
    console.error(`berth: ${error.message}`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

const shownOnce = (name: string, password: string) =>
  `password for ${name}: ${password}\n(shown once; it is not stored, only its hash)`;

const add = withSettings(
  new Command('add')
    .description('create an account; without --password-stdin a password is generated and printed once')
    .argument('<name>', 'account name: lowercase letters, digits, ".", "_" or "-"')
    .option('--admin', 'make it an admin (manages every namespace, creates accounts)')
    .option('--password-stdin', 'read the password from standard input'),
  DATABASE_SETTINGS,
).action(async (name: string, options: { admin?: boolean; passwordStdin?: boolean }, command: Command) => {
  const password = options.passwordStdin ? await readPassword() : undefined;
  await withAccounts(command, async (accounts) => {
    const { account, generatedPassword } = await accounts.register({ name, role: options.admin ? 'admin' : 'user', password });
    const created = `created ${account.role} account ${account.name}`;
    return generatedPassword ? `${created}\n${shownOnce(account.name, generatedPassword)}` : created;
  });
});

const passwd = withSettings(
  new Command('passwd')
    .description("set an account's password (for a forgotten one); without --password-stdin a password is generated and printed once")
    .argument('<name>', 'account name')
    .option('--password-stdin', 'read the new password from standard input'),
  DATABASE_SETTINGS,
).action(async (name: string, options: { passwordStdin?: boolean }, command: Command) => {
  const password = options.passwordStdin ? await readPassword() : undefined;
  await withAccounts(command, async (accounts) => {
    const { account, generatedPassword } = await accounts.resetPassword(name, password);
    const changed = `changed the password of ${account.name}`;
    return generatedPassword ? `${changed}\n${shownOnce(account.name, generatedPassword)}` : changed;
  });
});

export const accountCommand = new Command('account').description('manage accounts (users change their own password through GraphQL)').addCommand(add).addCommand(passwd);
