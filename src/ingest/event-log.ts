import type { Db } from '../db/client';
import { registryEvents } from '../db/schema';
import { keyOrder } from '../db/sql';
import type { RegistryEvent } from './envelope';

/**
 * Inserts the events whose ids are new, in id order (so two processes never
 * wait on each other in a cycle), and answers those ids; an id delivered
 * twice in one call is inserted once. `pullPending` marks counted pulls, which
 * apply_pending_pulls counts once their manifest exists.
 */
export async function insertEvents(tx: Db, events: RegistryEvent[], { pullPending = false } = {}): Promise<Set<string>> {
  const rows = events
    .map((event) => ({
      id: event.id,
      action: event.action,
      repository: event.target.repository,
      digest: event.target.digest ?? null,
      tag: event.target.tag ?? null,
      mediaType: event.target.mediaType ?? null,
      method: event.request.method ?? null,
      occurredAt: event.timestamp,
      payload: event.raw,
      pullPending,
    }))
    .sort((a, b) => keyOrder(a.id, b.id));
  const inserted = await tx.insert(registryEvents).values(rows).onConflictDoNothing({ target: registryEvents.id }).returning({ id: registryEvents.id });
  return new Set(inserted.map((row) => row.id));
}
