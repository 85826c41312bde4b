import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { manifests, registryEvents, tags } from '../db/schema';
import { anyOf, keyOrder, lockRepositories } from '../db/sql';
import { imageSize } from '../registry/image';
import { isIndexMediaType } from '../registry/media-types';
import { upsertPushedRepositories, type RepositoryName } from '../services/repositories';
import type { RegistryEvent } from './envelope';

/** A newly recorded push of a manifest or index, with its repository's name split. */
export interface ManifestPush extends RepositoryName {
  event: RegistryEvent;
  digest: string;
  mediaType: string;
}

/**
 * Applies the newly recorded manifest pushes of one delivery in a fixed
 * number of statements, whatever their number: the repositories' locks, then
 * repositories (with their namespaces), manifests and tags, each one
 * multi-row upsert in key order. Manifests it creates count the pulls
 * delivered before them (the manifests table's trigger). The outcome is the one of applying the pushes one by one in
 * any order: counts add up, the earliest creation and the newest push win, a
 * tag moves only to a newer push, and a push older than a recorded delete of
 * its tag or digest does not bring the tag back.
 * True when a manifest now waits to be fetched.
 */
export async function applyPushes(tx: Db, pushes: ManifestPush[]): Promise<boolean> {
  if (pushes.length === 0) return false;
  await lockRepositories(tx, pushes.map(({ namespace, name }) => `${namespace}/${name}`));
  const repositoryIds = await upsertPushedRepositories(
    tx,
    pushes.map(({ namespace, name, event }) => ({ namespace, name, at: event.timestamp, byTag: Boolean(event.target.tag), pusher: event.actor })),
  );
  const located = pushes.map((push) => ({ ...push, repositoryId: repositoryIds.get(`${push.namespace}/${push.name}`)! }));
  const upserted = await upsertManifests(tx, located);
  const manifestIds = new Map(upserted.map((row) => [`${row.repositoryId} ${row.digest}`, row.id]));
  const tagged = await withoutLaterDeletes(tx, located);
  await moveTags(
    tx,
    tagged.map((push) => ({ ...push, manifestId: manifestIds.get(`${push.repositoryId} ${push.digest}`)! })),
  );
  return upserted.some((row) => row.fetchedAt === null);
}

type LocatedPush = ManifestPush & { repositoryId: number };

/** One upsert for every pushed manifest: a manifest pushed n times counts n pushes. */
function upsertManifests(tx: Db, pushes: LocatedPush[]) {
  const byKey = new Map<string, { push: LocatedPush; pushCount: number; createdAt: Date }>();
  for (const push of pushes) {
    const key = `${push.repositoryId} ${push.digest}`;
    const row = byKey.get(key) ?? { push, pushCount: 0, createdAt: push.event.timestamp };
    row.pushCount++;
    if (push.event.timestamp < row.createdAt) row.createdAt = push.event.timestamp;
    byKey.set(key, row);
  }
  const rows = [...byKey.values()].sort((a, b) => a.push.repositoryId - b.push.repositoryId || keyOrder(a.push.digest, b.push.digest));
  return tx
    .insert(manifests)
    .values(
      rows.map(({ push, pushCount, createdAt }) => {
        const references = push.event.target.references ?? [];
        const index = isIndexMediaType(push.mediaType);
        const [config, ...layers] = index ? [] : references;
        return {
          repositoryId: push.repositoryId,
          digest: push.digest,
          mediaType: push.mediaType,
          config: config ?? null,
          layers,
          children: index ? references : [],
          size: index ? 0 : imageSize({ config: config ?? null, layers }),
          pushCount,
          createdAt,
          fetchDueAt: new Date(),
        };
      }),
    )
    .onConflictDoUpdate({
      target: [manifests.repositoryId, manifests.digest],
      set: {
        pushCount: sql`${manifests.pushCount} + excluded.push_count`,
        // A push of a manifest whose fetch gave up gives it another chance.
        fetchDueAt: sql`case when ${manifests.fetchedAt} is null then now() else ${manifests.fetchDueAt} end`,
        fetchAttempts: sql`case when ${manifests.fetchedAt} is null then 0 else ${manifests.fetchAttempts} end`,
      },
    })
    .returning({ id: manifests.id, repositoryId: manifests.repositoryId, digest: manifests.digest, fetchedAt: manifests.fetchedAt });
}

/** The pushes by tag that no recorded delete of their tag, or of their digest, newer than the push undoes; one query. */
async function withoutLaterDeletes(tx: Db, pushes: LocatedPush[]): Promise<LocatedPush[]> {
  const tagged = pushes.filter((push) => push.event.target.tag);
  if (tagged.length === 0) return [];
  const earliest = new Date(Math.min(...tagged.map((push) => push.event.timestamp.getTime())));
  const deletes = await tx
    .select({ repository: registryEvents.repository, tag: registryEvents.tag, digest: registryEvents.digest, at: registryEvents.occurredAt })
    .from(registryEvents)
    .where(
      and(
        anyOf(registryEvents.repository, [...new Set(tagged.map((push) => push.event.target.repository))]),
        eq(registryEvents.action, 'delete'),
        gt(registryEvents.occurredAt, earliest),
      ),
    );
  return tagged.filter(({ event, digest }) => {
    const undone = (d: (typeof deletes)[number]) =>
      d.repository === event.target.repository && d.at > event.timestamp && (d.digest === null ? d.tag === event.target.tag : d.digest === digest);
    return !deletes.some(undone);
  });
}

/**
 * One upsert for every pushed tag, each to its newest push in the delivery
 * (the later one when two are dated alike); a tag already there moves only
 * when that push is not older than the tag's.
 */
async function moveTags(tx: Db, pushes: (LocatedPush & { manifestId: number })[]): Promise<void> {
  const newest = new Map<string, LocatedPush & { manifestId: number }>();
  for (const push of pushes) {
    const key = `${push.repositoryId} ${push.event.target.tag}`;
    const held = newest.get(key);
    if (!held || push.event.timestamp >= held.event.timestamp) newest.set(key, push);
  }
  if (newest.size === 0) return;
  const rows = [...newest.values()].sort((a, b) => a.repositoryId - b.repositoryId || keyOrder(a.event.target.tag!, b.event.target.tag!));
  await tx
    .insert(tags)
    .values(
      rows.map(({ repositoryId, manifestId, event }) => ({
        repositoryId,
        name: event.target.tag!,
        manifestId,
        createdAt: event.timestamp,
        updatedAt: event.timestamp,
        pushedAt: event.timestamp,
      })),
    )
    .onConflictDoUpdate({
      target: [tags.repositoryId, tags.name],
      set: { manifestId: sql`excluded.manifest_id`, pushedAt: sql`excluded.pushed_at`, updatedAt: sql`excluded.updated_at` },
      // Only a newer push moves a tag; an older one arriving late leaves it.
      setWhere: sql`${tags.pushedAt} <= excluded.pushed_at`,
    });
}
