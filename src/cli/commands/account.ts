import { Command } from 'commander';
import { configOf, DATABASE_SETTINGS, withSettings } from '../options';
import { runCommand } from '../run';

/** The password piped in (`--password-stdin`), without its final newline; piping keeps it out of shell history and `ps`. */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const add = withSettings(
  new Command('add')
    .description('create an account owning the namespace of its name; without --password-stdin a password is generated and printed once')
    .argument('<name>', 'account name: lowercase letters, digits, ".", "_" or "-"')
    .option('--admin', 'make it an admin (manages every namespace, creates accounts)')
    .option('--no-namespace', 'create no namespace (the account can create one of another name later)')
    .option('--password-stdin', 'read the password from standard input'),
  DATABASE_SETTINGS,
).action(async (name: string, options: { admin?: boolean; namespace: boolean; passwordStdin?: boolean }, command: Command) => {
  const password = options.passwordStdin ? await readPassword() : undefined;
  await runCommand(configOf(command), 'account add', { name, admin: options.admin === true, namespace: options.namespace, password });
});

const passwd = withSettings(
  new Command('passwd')
    .description("set an account's password (for a forgotten one, the admin's too); without --password-stdin a password is generated and printed once")
    .argument('<name>', 'account name')
    .option('--password-stdin', 'read the new password from standard input')
    .option('--revoke-tokens', "also revoke the account's access tokens (after a leak; a forgotten password leaves them working)"),
  DATABASE_SETTINGS,
).action(async (name: string, options: { passwordStdin?: boolean; revokeTokens?: boolean }, command: Command) => {
  const password = options.passwordStdin ? await readPassword() : undefined;
  await runCommand(configOf(command), 'account passwd', { name, password, revokeTokens: options.revokeTokens === true });
});

const unlock = withSettings(
  new Command('unlock').description("lift an account's sign-in limits, from every address (account passwd lifts them too)").argument('<name>', 'account name'),
  DATABASE_SETTINGS,
).action(async (name: string, _options, command: Command) => {
  await runCommand(configOf(command), 'account unlock', { name });
});

export const accountCommand = new Command('account')
  .description('manage accounts, while a server runs or not (users change their own password through GraphQL)')
  .addCommand(add)
  .addCommand(passwd)
  .addCommand(unlock);
