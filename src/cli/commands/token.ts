import path from 'node:path';
import { Command } from 'commander';
import { configOf, DATABASE_SETTINGS, TOKEN_SETTINGS, withSettings } from '../options';
import { runCommand } from '../run';

const rotate = withSettings(
  new Command('rotate')
    .description('make a new key to sign registry tokens with, and write the certificates the registry must trust (the new one and, for one token lifetime, the old)')
    .option('--cert-out <file>', "where to write the certificates (the registry's rootcertbundle); printed when absent"),
  [...DATABASE_SETTINGS, ...TOKEN_SETTINGS],
).action(async (options: { certOut?: string }, command: Command) =>
  runCommand(configOf(command), 'token rotate', { certOut: options.certOut && path.resolve(options.certOut) }),
);

export const tokenCommand = new Command('token').description("manage the key that signs the registry's tokens").addCommand(rotate);
