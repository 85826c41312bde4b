import { setImmediate } from 'node:timers/promises';
import { and, count, eq, lte } from 'drizzle-orm';
import type { Db } from '../db/client';
import { manifests, tags } from '../db/schema';
import { BERTH_USER_AGENT } from '../registry/client';
import { isManifestMediaType } from '../registry/media-types';
import { splitRepository } from '../registry/names';
import type { RegistryEvent } from './envelope';
import { insertEvents } from './event-log';
import { PullBatches, type PullDelivery } from './pull-batches';
import { applyPushes, type ManifestPush } from './pushes';
import { lockRepository, removeRepositoryIfUntagged } from '../services/repositories';

export interface RecordResult {
  /** Events seen for the first time and applied. */
  recorded: number;
  /** Events whose id was already recorded (registry retries), left unapplied. */
  duplicates: number;
}

/**
 * Records registry notification events and applies what they mean: an event
 * id is inserted with ON CONFLICT DO NOTHING and applied only when the insert
 * happened, in the same transaction, so a retried delivery never counts
 * twice, even when two Berth processes receive it at once (the second insert
 * waits for the first transaction and then does nothing). An envelope's
 * pushes go together in one transaction of a fixed number of statements
 * (pushes.ts), its pulls many to a statement (pull-batches.ts), and each
 * delete in a transaction of its own: a 100-event envelope never holds the
 * database for long, and when it fails half-way the registry's retry records
 * only what is missing.
 *
 * What counts (see docs in README "Registry events"):
 * - push of a manifest or index: creates namespace and repository when
 *   missing (`library` public, others private; a namespace it creates may
 *   belong to the pusher, see upsertPushedRepositories), creates or moves the tag,
 *   counts a push for the manifest, and for the repository when it was by
 *   tag: the children of a multi-arch index are pushed by digest before the
 *   index, and a multi-arch push is one push of the repository;
 * - pull of a manifest or index by GET: counts for the manifest (so for the
 *   tags on its digest) and the repository, except a child of a multi-arch
 *   index fetched by digest, which is part of the pull of its index. HEAD
 *   requests are existence checks (clients do them before pushing) and Berth's
 *   own reads are bookkeeping: neither counts. Blob events never count nor
 *   create anything;
 * - delete by digest removes that manifest's tags; delete of a tag removes
 *   the tag. A repository left without tags goes, as on the legacy server.
 *
 * Deliveries can arrive out of order (retries, several registries), so the
 * event timestamp decides: a tag moves only to a newer push, a delete only
 * removes tags pushed before it, and a push older than a recorded delete of
 * the same tag or digest does not bring the tag back.
 */
export class EventService {
  private readonly pendingListeners: (() => void)[] = [];
  private readonly pulls: PullBatches;

  constructor(private readonly db: Db) {
    this.pulls = new PullBatches(db);
  }

  /** Calls `listener` after a recorded event leaves a manifest waiting to be fetched. */
  onManifestPending(listener: () => void): void {
    this.pendingListeners.push(listener);
  }

  /**
   * `trustActors`: the delivery was authenticated, so its actors are the
   * registry's token subjects; otherwise anyone could name one, and no actor
   * may become a namespace's owner.
   */
  async record(delivered: RegistryEvent[], { trustActors }: { trustActors: boolean }): Promise<RecordResult> {
    const events = trustActors ? delivered : delivered.map((event) => ({ ...event, actor: undefined }));
    const pulls: PullDelivery[] = [];
    const deletes: RegistryEvent[] = [];
    const others: RegistryEvent[] = [];
    for (const event of events) {
      if (isCountedPull(event)) pulls.push({ event });
      else if (event.action === 'delete') deletes.push(event);
      else others.push(event);
    }
    const outcome: RecordResult = { recorded: 0, duplicates: 0 };
    const tally = (recorded: boolean) => (recorded ? outcome.recorded++ : outcome.duplicates++);
    // Embedded PGlite answers within the same turn of the event loop, so without these yields a whole envelope would run before any other request is read.
    await setImmediate();
    // Pushes and deletes first, so that a pull of what the same envelope pushes finds it; the order between them is the events' timestamps' business (see above).
    const pending = others.length > 0 && (await this.db.transaction((tx) => recordPushes(tx, others, tally)));
    for (const event of deletes) {
      await setImmediate();
      tally(await this.db.transaction((tx) => recordDelete(tx, event)));
    }
    for (const recorded of await Promise.all(pulls.map((pull) => this.pulls.record(pull)))) tally(recorded);
    if (pending) for (const listener of this.pendingListeners) listener();
    return outcome;
  }
}

/**
 * Records pushes and the events that apply nothing (blob pushes, uncounted
 * pulls, mounts) in one insert, and applies the manifest pushes among the
 * new ones together (see applyPushes). True when a manifest now waits to be fetched.
 */
async function recordPushes(tx: Db, events: RegistryEvent[], tally: (recorded: boolean) => void): Promise<boolean> {
  const recorded = await insertEvents(tx, events);
  const pushes: ManifestPush[] = [];
  for (const event of events) {
    const isNew = recorded.delete(event.id);
    tally(isNew);
    const push = isNew && manifestPush(event);
    if (push) pushes.push(push);
  }
  return applyPushes(tx, pushes);
}

/**
 * Whether an event is a pull that counts: a GET of a manifest or index of a
 * namespace/name repository. HEAD requests are existence checks and Berth's
 * own reads are bookkeeping.
 */
function isCountedPull(event: RegistryEvent): boolean {
  const { digest, mediaType } = event.target;
  if (event.action !== 'pull' || !splitRepository(event.target.repository) || !digest || !isManifestMediaType(mediaType) || event.request.method !== 'GET') return false;
  return !event.request.useragent?.startsWith(BERTH_USER_AGENT.split('/')[0]);
}

/** The push of a manifest or index an event reports, if it is one; blob pushes apply nothing. */
function manifestPush(event: RegistryEvent): ManifestPush | null {
  const repository = splitRepository(event.target.repository);
  const { digest, mediaType } = event.target;
  if (event.action !== 'push' || !repository || !digest || !isManifestMediaType(mediaType)) return null;
  return { ...repository, event, digest, mediaType: mediaType! };
}

/** Records a delete and applies it, of a digest or of a tag, when it is new; false for a re-delivery. */
async function recordDelete(tx: Db, event: RegistryEvent): Promise<boolean> {
  if ((await insertEvents(tx, [event])).size === 0) return false;
  const name = splitRepository(event.target.repository);
  const { digest, tag } = event.target;
  if (name && digest) await applyDigestDelete(tx, name.namespace, name.name, digest, event.timestamp);
  else if (name && tag) await applyTagDelete(tx, name.namespace, name.name, tag, event.timestamp);
  return true;
}

async function applyTagDelete(tx: Db, namespace: string, name: string, tag: string, at: Date): Promise<void> {
  const repositoryId = await lockRepository(tx, namespace, name);
  if (repositoryId === null) return;
  await tx.delete(tags).where(and(eq(tags.repositoryId, repositoryId), eq(tags.name, tag), lte(tags.pushedAt, at)));
  await removeRepositoryIfUntagged(tx, repositoryId);
}

/** A digest delete is a manifest delete when Berth knows the digest as a manifest; otherwise it was a blob. */
async function applyDigestDelete(tx: Db, namespace: string, name: string, digest: string, at: Date): Promise<void> {
  const repositoryId = await lockRepository(tx, namespace, name);
  if (repositoryId === null) return;
  const [manifest] = await tx
    .select({ id: manifests.id })
    .from(manifests)
    .where(and(eq(manifests.repositoryId, repositoryId), eq(manifests.digest, digest)));
  if (!manifest) return;
  await tx.delete(tags).where(and(eq(tags.manifestId, manifest.id), lte(tags.pushedAt, at)));
  const [{ left }] = await tx.select({ left: count() }).from(tags).where(eq(tags.manifestId, manifest.id));
  if (left === 0) await tx.delete(manifests).where(eq(manifests.id, manifest.id));
  await removeRepositoryIfUntagged(tx, repositoryId);
}
