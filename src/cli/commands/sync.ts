import { Command } from 'commander';
import { BerthError } from '../../errors';
import { registryClient } from '../../registry';
import { createServices } from '../../services';
import type { FetchCounts } from '../../ingest/manifest-fetch';
import type { SyncProgress, SyncResult } from '../../ingest/sync';
import { StartupError, openMigratedDatabase } from '../../start';
import { configOf, DATABASE_SETTINGS, withSettings } from '../options';

/** One line that rewrites itself on a terminal; nothing when the output is a file or a pipe. */
function progressLine(stream: NodeJS.WriteStream) {
  let shown = false;
  return {
    show(text: string) {
      if (!stream.isTTY) return;
      stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 80) - 1)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

const describe = (progress: SyncProgress) =>
  progress.phase === 'catalog'
    ? `reading the catalog: ${progress.repositories} repositories`
    : `[${progress.done}/${progress.total}] ${progress.repository}`;

const summary = (result: SyncResult, fetches: FetchCounts) =>
  [
    `synced ${result.repositories} repositories with the registry:`,
    `  repositories added ${result.repositoriesAdded}, removed ${result.repositoriesRemoved}`,
    `  tags added ${result.tagsAdded}, moved ${result.tagsMoved}, removed ${result.tagsRemoved}`,
    `  manifests fetched ${fetches.fetched}${fetches.failed ? `, not readable yet ${fetches.failed} (retried by the server; see Manifest.fetchError)` : ''}`,
  ].join('\n');

export const syncCommand = withSettings(
  new Command('sync').description(
    'reconcile the database with the registry (catalog, tags, manifests) and exit; safe while a server runs and receives webhooks',
  ),
  [...DATABASE_SETTINGS, 'REGISTRY_URL', 'REGISTRY_USERNAME', 'REGISTRY_TIMEOUT_MS'],
).action(async (_options, command: Command) => {
  const config = configOf(command);
  if (!config.registry) throw new StartupError('sync needs a registry: set REGISTRY_URL (or --registry-url)');
  const database = await openMigratedDatabase(config);
  const line = progressLine(process.stderr);
  try {
    const services = createServices(database.db, config.signIn, registryClient(config.registry));
    const result = await services.sync.run((progress) => line.show(describe(progress)));
    line.show('fetching manifests…');
    // The command is done when the data is: fetch what the sync queued rather than leave it to a server.
    const fetches = await services.manifestFetcher.drain();
    line.clear();
    console.log(summary(result, fetches));
  } catch (error) {
    line.clear();
    if (!(error instanceof BerthError)) throw error;
    console.error(`berth: ${error.message}`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
});
