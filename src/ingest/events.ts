import { setImmediate } from 'node:timers/promises';
import { and, count, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { manifests, registryEvents, tags } from '../db/schema';
import { imageSize } from '../registry/image';
import { BERTH_USER_AGENT } from '../registry/client';
import { isIndexMediaType, isManifestMediaType } from '../registry/media-types';
import { splitRepository } from '../registry/names';
import type { RegistryEvent } from './envelope';
import { PullBatches, type PullDelivery } from './pull-batches';
import { lockRepository, removeRepositoryIfUntagged, upsertRepository } from '../services/repositories';

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
 * waits for the first transaction and then does nothing). Each event is its
 * own transaction, and the pulls of an envelope go many to a statement (one
 * for an envelope of one pull, most of them): a 100-event envelope never
 * holds the database for long, and when it fails half-way the registry's
 * retry records only what is missing.
 *
 * What counts (see docs in README "Registry events"):
 * - push of a manifest or index: creates namespace and repository when
 *   missing (`library` public, others private; a namespace it creates may
 *   belong to the pusher, see upsertRepository), creates or moves the tag,
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
    const others: RegistryEvent[] = [];
    for (const event of events) {
      const pull = countedPull(event);
      if (pull) pulls.push({ event, ...pull });
      else others.push(event);
    }
    const outcome: RecordResult = { recorded: 0, duplicates: 0 };
    const tally = (recorded: boolean) => (recorded ? outcome.recorded++ : outcome.duplicates++);
    let pending = false;
    // Pushes and deletes first, so that a pull of what the same envelope pushes finds it.
    for (const event of others) {
      // Embedded PGlite answers within the same turn of the event loop, so without this a whole envelope would run before any other request is read.
      await setImmediate();
      const applied = await this.db.transaction(async (tx) => ((await insertEvent(tx, event)).length > 0 ? apply(tx, event) : null));
      tally(applied !== null);
      pending = applied === true || pending;
    }
    for (const recorded of await Promise.all(pulls.map((pull) => this.pulls.record(pull)))) tally(recorded);
    if (pending) for (const listener of this.pendingListeners) listener();
    return outcome;
  }
}

/** Inserts an event unless its id is recorded already; returns the id when it was new. */
function insertEvent(tx: Db, event: RegistryEvent) {
  return tx
    .insert(registryEvents)
    .values({
      id: event.id,
      action: event.action,
      repository: event.target.repository,
      digest: event.target.digest ?? null,
      tag: event.target.tag ?? null,
      mediaType: event.target.mediaType ?? null,
      method: event.request.method ?? null,
      occurredAt: event.timestamp,
      payload: event.raw,
    })
    .onConflictDoNothing({ target: registryEvents.id })
    .returning({ id: registryEvents.id });
}

/** The repository a counted pull is of. */
interface Pull {
  namespace: string;
  name: string;
}

/**
 * The pull an event counts, if any: a GET of a manifest or index. HEAD
 * requests are existence checks and Berth's own reads are bookkeeping.
 */
function countedPull(event: RegistryEvent): Pull | null {
  const repository = splitRepository(event.target.repository);
  const { digest, mediaType } = event.target;
  if (event.action !== 'pull' || !repository || !digest || !isManifestMediaType(mediaType) || event.request.method !== 'GET') return null;
  if (event.request.useragent?.startsWith(BERTH_USER_AGENT.split('/')[0])) return null;
  return repository;
}

/** Applies one newly recorded event; true when a manifest now waits to be fetched. */
async function apply(tx: Db, event: RegistryEvent): Promise<boolean> {
  const name = splitRepository(event.target.repository);
  if (!name) return false;
  const { digest, tag, mediaType } = event.target;
  switch (event.action) {
    case 'push':
      if (!digest || !isManifestMediaType(mediaType)) return false;
      return applyPush(tx, event, name.namespace, name.name, digest);
    case 'delete':
      if (digest) await applyDigestDelete(tx, name.namespace, name.name, digest, event.timestamp);
      else if (tag) await applyTagDelete(tx, name.namespace, name.name, tag, event.timestamp);
      return false;
    default:
      // Pulls that count were counted as they were recorded (see record); the rest, mount,
      // and actions later registries may add: recorded, nothing to apply.
      return false;
  }
}

async function applyPush(tx: Db, event: RegistryEvent, namespace: string, name: string, digest: string): Promise<boolean> {
  const at = event.timestamp;
  const tag = event.target.tag;
  const repositoryId = await upsertRepository(tx, namespace, name, { at, byTag: Boolean(tag), pusher: event.actor });

  const mediaType = event.target.mediaType!;
  const references = event.target.references ?? [];
  const index = isIndexMediaType(mediaType);
  const [config, ...layers] = index ? [] : references;
  const [manifest] = await tx
    .insert(manifests)
    .values({
      repositoryId,
      digest,
      mediaType,
      config: config ?? null,
      layers,
      children: index ? references : [],
      size: index ? 0 : imageSize({ config: config ?? null, layers }),
      pushCount: 1,
      createdAt: at,
      fetchDueAt: new Date(),
    })
    .onConflictDoUpdate({
      target: [manifests.repositoryId, manifests.digest],
      set: {
        pushCount: sql`${manifests.pushCount} + 1`,
        // A push of a manifest whose fetch gave up gives it another chance.
        fetchDueAt: sql`case when ${manifests.fetchedAt} is null then now() else ${manifests.fetchDueAt} end`,
        fetchAttempts: sql`case when ${manifests.fetchedAt} is null then 0 else ${manifests.fetchAttempts} end`,
      },
    })
    .returning({ id: manifests.id, fetchedAt: manifests.fetchedAt });

  if (tag && !(await deletedLater(tx, event.target.repository, tag, digest, at))) {
    await tx
      .insert(tags)
      .values({ repositoryId, name: tag, manifestId: manifest.id, createdAt: at, updatedAt: at, pushedAt: at })
      .onConflictDoUpdate({
        target: [tags.repositoryId, tags.name],
        set: { manifestId: sql`excluded.manifest_id`, pushedAt: sql`excluded.pushed_at`, updatedAt: sql`excluded.updated_at` },
        // Only a newer push moves a tag; an older one arriving late leaves it.
        setWhere: lte(tags.pushedAt, sql`excluded.pushed_at`),
      });
  }
  return manifest.fetchedAt === null;
}

/** True when a delete of this tag, or of this digest, newer than `at` is already recorded. */
async function deletedLater(tx: Db, repository: string, tag: string, digest: string, at: Date): Promise<boolean> {
  const [row] = await tx
    .select({ id: registryEvents.id })
    .from(registryEvents)
    .where(
      and(
        eq(registryEvents.repository, repository),
        eq(registryEvents.action, 'delete'),
        gt(registryEvents.occurredAt, at),
        or(and(eq(registryEvents.tag, tag), isNull(registryEvents.digest)), eq(registryEvents.digest, digest)),
      ),
    )
    .limit(1);
  return !!row;
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
