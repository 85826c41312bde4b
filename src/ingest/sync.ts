import { and, eq, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { anyOf, lockRepositories } from '../db/sql';
import { manifests, namespaces, repositories, tags } from '../db/schema';
import { forbidden, unauthenticated, upstreamFailure } from '../errors';
import { RegistryError, type ManifestHead, type RegistryClient } from '../registry/client';
import { splitRepository } from '../registry/names';
import { addRepository, lockRepository, removeRepositoryIfUntagged, repositoryFullName } from '../services/repositories';

export interface SyncResult {
  /** Repositories the registry's catalog lists with a namespace/name. */
  repositories: number;
  repositoriesAdded: number;
  repositoriesRemoved: number;
  tagsAdded: number;
  tagsMoved: number;
  tagsRemoved: number;
  /** Manifests queued for their body and config to be fetched. */
  manifestsQueued: number;
}

export type SyncProgress =
  | { phase: 'catalog'; repositories: number }
  | { phase: 'repository'; repository: string; done: number; total: number };

const emptyResult = (): SyncResult => ({
  repositories: 0,
  repositoriesAdded: 0,
  repositoriesRemoved: 0,
  tagsAdded: 0,
  tagsMoved: 0,
  tagsRemoved: 0,
  manifestsQueued: 0,
});

/**
 * Reconciles Berth with the registry: `/v2/_catalog` (all pages), each
 * repository's `tags/list`, and a HEAD per tag for its digest. Adds what is
 * missing, moves tags whose digest changed, removes tags and repositories the
 * registry no longer has, and queues manifests for fetching. Counters are
 * kept. Safe while webhooks arrive: a tag pushed after the sync read the
 * registry is never moved or removed by it.
 */
export class SyncService {
  constructor(
    private readonly db: Db,
    private readonly registry: RegistryClient | null,
  ) {}

  /** The admin-only entry point (GraphQL). */
  async runAs(viewer: Viewer | null, onProgress?: (progress: SyncProgress) => void): Promise<SyncResult> {
    if (!viewer) throw unauthenticated('sign in as an admin to sync with the registry');
    if (viewer.role !== 'admin') throw forbidden('only an admin can sync with the registry');
    return this.run(onProgress);
  }

  async run(onProgress: (progress: SyncProgress) => void = () => {}): Promise<SyncResult> {
    const registry = this.registry;
    if (!registry) throw upstreamFailure('no registry is configured: set REGISTRY_URL to sync with one');
    const startedAt = new Date();
    try {
      const names: string[] = [];
      for await (const page of registry.catalog()) {
        names.push(...page.filter((name) => splitRepository(name)));
        onProgress({ phase: 'catalog', repositories: names.length });
      }
      const result = emptyResult();
      result.repositories = names.length;
      for (const [index, name] of names.entries()) {
        await this.syncRepository(registry, name, result);
        onProgress({ phase: 'repository', repository: name, done: index + 1, total: names.length });
      }
      await this.removeUnlisted(names, startedAt, result);
      return result;
    } catch (error) {
      if (error instanceof RegistryError) throw upstreamFailure(`sync failed: ${error.message}`, error.retryAfterSeconds);
      throw error;
    }
  }

  private async syncRepository(registry: RegistryClient, fullName: string, result: SyncResult): Promise<void> {
    const { namespace, name } = splitRepository(fullName)!;
    // Tags pushed from here on are newer than what the registry is about to tell, and are left alone.
    const readAt = new Date();
    const heads = new Map<string, ManifestHead>();
    for (const tag of await registry.tags(fullName)) {
      const head = await registry.headManifest(fullName, tag);
      if (head) heads.set(tag, head);
    }
    await this.db.transaction(async (tx) => {
      let repositoryId = await lockRepository(tx, namespace, name);
      if (repositoryId === null) {
        if (heads.size === 0) return;
        if ((await addRepository(tx, namespace, name)) !== null) result.repositoriesAdded++;
        repositoryId = await lockRepository(tx, namespace, name);
      }
      const id = repositoryId!;
      const digests = [...new Set([...heads.values()].map((h) => h.digest))];
      if (digests.length > 0) {
        const queued = await tx
          .insert(manifests)
          .values(digests.map((digest) => ({ repositoryId: id, digest, mediaType: [...heads.values()].find((h) => h.digest === digest)!.mediaType, fetchDueAt: new Date() })))
          .onConflictDoNothing({ target: [manifests.repositoryId, manifests.digest] })
          .returning({ id: manifests.id });
        result.manifestsQueued += queued.length;
      }
      // Manifests whose fetch gave up earlier get another chance.
      const retried = await tx
        .update(manifests)
        .set({ fetchDueAt: sql`now()`, fetchAttempts: 0 })
        .where(and(eq(manifests.repositoryId, id), isNull(manifests.fetchedAt), isNull(manifests.fetchDueAt)))
        .returning({ id: manifests.id });
      result.manifestsQueued += retried.length;

      const known = await tx
        .select({ id: manifests.id, digest: manifests.digest })
        .from(manifests)
        .where(digests.length > 0 ? and(eq(manifests.repositoryId, id), anyOf(manifests.digest, digests)) : sql`false`);
      const manifestIdOf = new Map(known.map((m) => [m.digest, m.id]));
      const current = await tx
        .select({ id: tags.id, name: tags.name, manifestId: tags.manifestId, pushedAt: tags.pushedAt })
        .from(tags)
        .where(eq(tags.repositoryId, id));
      const currentByName = new Map(current.map((t) => [t.name, t]));
      for (const [tag, head] of heads) {
        const manifestId = manifestIdOf.get(head.digest)!;
        const existing = currentByName.get(tag);
        if (!existing) {
          await tx.insert(tags).values({ repositoryId: id, name: tag, manifestId, pushedAt: readAt }).onConflictDoNothing();
          result.tagsAdded++;
        } else if (existing.manifestId !== manifestId && existing.pushedAt < readAt) {
          await tx.update(tags).set({ manifestId, pushedAt: readAt, updatedAt: new Date() }).where(eq(tags.id, existing.id));
          result.tagsMoved++;
        }
      }
      const gone = current.filter((t) => !heads.has(t.name) && t.pushedAt < readAt).map((t) => t.id);
      if (gone.length > 0) {
        await tx.delete(tags).where(anyOf(tags.id, gone));
        result.tagsRemoved += gone.length;
      }
      if (await removeRepositoryIfUntagged(tx, id)) result.repositoriesRemoved++;
    });
  }

  /** Repositories Berth has and the registry's catalog does not: their tags are gone. */
  private async removeUnlisted(names: string[], startedAt: Date, result: SyncResult): Promise<void> {
    const unlisted = await this.db
      .select({ id: repositories.id, fullName: repositoryFullName })
      .from(repositories)
      .innerJoin(namespaces, eq(repositories.namespaceId, namespaces.id))
      .where(names.length > 0 ? notInArray(repositoryFullName, names) : sql`true`);
    for (const { id, fullName } of unlisted) {
      await this.db.transaction(async (tx) => {
        await lockRepositories(tx, [fullName]);
        const removed = await tx
          .delete(tags)
          .where(and(eq(tags.repositoryId, id), lt(tags.pushedAt, startedAt)))
          .returning({ id: tags.id });
        result.tagsRemoved += removed.length;
        if (await removeRepositoryIfUntagged(tx, id)) result.repositoriesRemoved++;
      });
    }
  }
}
