import type { FetchCounts } from '../../ingest/manifest-fetch';
import type { SyncProgress, SyncResult } from '../../ingest/sync';
import type { Action } from '.';

const describe = (progress: SyncProgress) =>
  progress.phase === 'catalog' ? `reading the catalog: ${progress.repositories} repositories` : `[${progress.done}/${progress.total}] ${progress.repository}`;

const summary = (result: SyncResult, fetches: FetchCounts) =>
  [
    `synced ${result.repositories} repositories with the registry:`,
    `  repositories added ${result.repositoriesAdded}, removed ${result.repositoriesRemoved}`,
    `  tags added ${result.tagsAdded}, moved ${result.tagsMoved}, removed ${result.tagsRemoved}`,
    `  manifests fetched ${fetches.fetched}${fetches.failed ? `, not readable yet ${fetches.failed} (retried by the server; see Manifest.fetchError)` : ''}`,
  ].join('\n');

export const syncRegistry: Action<Record<string, never>> = async (_args, { services, signal, progress }) => {
  const result = await services.sync.run((step) => {
    // Sync has no way to be cancelled but this one: it stops between repositories.
    signal.throwIfAborted();
    progress(describe(step));
  });
  progress('fetching manifests…');
  // The command is done when the data is: fetch what the sync queued rather than leave it to a server's worker.
  const fetches = await services.manifestFetcher.drain(signal);
  signal.throwIfAborted();
  return summary(result, fetches);
};
