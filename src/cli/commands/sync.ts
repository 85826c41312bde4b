import { Command } from 'commander';
import { StartupError } from '../../startup-error';
import { configOf, DATABASE_SETTINGS, withSettings } from '../options';
import { runCommand } from '../run';

export const syncCommand = withSettings(
  new Command('sync').description(
    'reconcile the database with the registry (catalog, tags, manifests) and exit, showing progress on a terminal; safe while a server runs and receives webhooks (a server on the embedded database runs it, with its own registry settings)',
  ),
  [...DATABASE_SETTINGS, 'REGISTRY_URL', 'REGISTRY_USERNAME', 'REGISTRY_TIMEOUT_MS'],
).action(async (_options, command: Command) =>
  runCommand(configOf(command), 'sync', {}, {
    checkSettings(config) {
      if (!config.registry) throw new StartupError('sync needs a registry: set REGISTRY_URL (or --registry-url)');
    },
  }),
);
