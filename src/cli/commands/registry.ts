import path from 'node:path';
import { Command } from 'commander';
import { configOf, DATABASE_SETTINGS, TOKEN_SETTINGS, withSettings } from '../options';
import { runCommand } from '../run';

const config = withSettings(
  new Command('config')
    .description(
      "print a complete Docker Distribution config.yml that makes this Berth the registry's token service and webhook, and write the certificates the registry must trust; then `docker-registry serve` on it",
    )
    .option('--listen <host:port>', 'address the registry listens on', '127.0.0.1:5000')
    .option('--storage <dir>', "folder of the registry's images", '/var/lib/docker-registry')
    // Required: a default path would drop a file wherever the command happens to run.
    .requiredOption('--cert-out <file>', "where to write the token certificates (the registry's rootcertbundle)")
    .option('--out <file>', 'write the config to this file, readable by its owner alone (it holds the webhook secret), instead of printing it'),
  [...DATABASE_SETTINGS, ...TOKEN_SETTINGS, 'PORT', 'HOST'],
).action(async (options: { listen: string; storage: string; certOut: string; out?: string }, command: Command) =>
  // Absolute, so a server running the command writes where this shell means, and the registry finds it from anywhere.
  runCommand(configOf(command), 'registry config', {
    listen: options.listen,
    storage: path.resolve(options.storage),
    certOut: path.resolve(options.certOut),
    out: options.out && path.resolve(options.out),
  }),
);

export const registryCommand = new Command('registry').description('wire a Docker Distribution registry to this Berth').addCommand(config);
