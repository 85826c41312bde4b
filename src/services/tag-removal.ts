import { and, eq } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { anyOf } from '../db/sql';
import { manifests, tags } from '../db/schema';
import { conflict, notFound, upstreamFailure } from '../errors';
import { RegistryError, type RegistryClient } from '../registry/client';
import { lockRepository, removeRepositoryIfUntagged, type RepositoryService } from './repositories';

export interface RemovedTags {
  namespace: string;
  repository: string;
  tags: { name: string; digest: string }[];
  /** Manifests deleted in the registry (none when no registry is configured). */
  digests: string[];
  /** Manifests the registry no longer had (it answered 404): already gone, which is what was asked. */
  alreadyGone: string[];
  /** True when the last tag went and the repository went with it, as on the legacy server. */
  repositoryRemoved: boolean;
}

export interface RemoveOptions {
  /** Agree that deleting a digest in the registry removes every tag on it. */
  removeAllTagsOfDigest?: boolean;
}

interface RemovalPlan {
  namespace: string;
  repository: string;
  repositoryId: number;
  tags: { id: number; name: string; manifestId: number; digest: string }[];
  /** Digests to delete in the registry, in order. */
  digests: string[];
}

const named = (list: RemovalPlan['tags']) => list.map(({ name, digest }) => ({ name, digest }));

/** Deletes of tags and repositories: in the registry first when one is configured, then in Berth. */
export class TagRemoval {
  constructor(
    private readonly db: Db,
    private readonly repositories: RepositoryService,
    /** When set, deletes reach the registry before Berth changes. */
    private readonly registry: RegistryClient | null = null,
  ) {}

  /**
   * Removes tags of one repository (all of them, with every manifest, when
   * `names` is undefined). With a registry configured the manifests are
   * deleted there first, by digest, since Distribution cannot delete by tag:
   * that also removes every other tag on the digest, so such a delete is
   * refused with CONFLICT unless `removeAllTagsOfDigest` says to go ahead.
   * If the registry refuses or cannot be reached nothing changes in Berth and
   * the error names the cause. A repository left without tags is removed with
   * its manifests and counters, as on the legacy server.
   */
  async remove(viewer: Viewer | null, namespace: string, repository: string, names?: string[], options: RemoveOptions = {}): Promise<RemovedTags> {
    const plan = await this.db.transaction((tx) => this.plan(tx, viewer, namespace, repository, names, options));
    const deleted: string[] = [];
    const alreadyGone: string[] = [];
    let failure: RegistryError | null = null;
    if (this.registry) {
      for (const digest of plan.digests) {
        try {
          // false: the registry no longer had it, which is the state Berth is after too.
          (await this.registry.deleteManifest(`${namespace}/${repository}`, digest)) ? deleted.push(digest) : alreadyGone.push(digest);
        } catch (error) {
          if (!(error instanceof RegistryError)) throw error;
          failure = error;
          break;
        }
      }
    }
    const gone = [...deleted, ...alreadyGone];
    if (failure && gone.length === 0) throw upstreamFailure(`the registry did not delete ${namespace}/${repository}: ${failure.message}`, failure.retryAfterSeconds);
    const removed = await this.db.transaction((tx) => this.apply(tx, plan, this.registry ? gone : null));
    if (failure) {
      const done = removed.tags.map((t) => t.name).join(', ') || 'nothing';
      throw upstreamFailure(`the registry deleted only part of ${namespace}/${repository} (removed: ${done}): ${failure.message}`, failure.retryAfterSeconds);
    }
    return { namespace, repository, ...removed, digests: deleted, alreadyGone };
  }

  /** What a remove will touch, checked under the repository's lock: the tags, and the digests to delete upstream. */
  private async plan(tx: Db, viewer: Viewer | null, namespace: string, repository: string, names: string[] | undefined, options: RemoveOptions): Promise<RemovalPlan> {
    const owner = await this.repositories.findForChange(viewer, namespace, repository, tx);
    const target = { namespace, repository, repositoryId: owner.id };
    const all = await tx
      .select({ id: tags.id, name: tags.name, manifestId: tags.manifestId, digest: manifests.digest })
      .from(tags)
      .innerJoin(manifests, eq(tags.manifestId, manifests.id))
      .where(eq(tags.repositoryId, owner.id));
    if (!names) {
      const every = await tx.select({ id: manifests.id, digest: manifests.digest }).from(manifests).where(eq(manifests.repositoryId, owner.id));
      return { ...target, tags: all, digests: every.map((m) => m.digest) };
    }
    const asked = all.filter((t) => names.includes(t.name));
    const missing = names.filter((n) => !asked.some((t) => t.name === n));
    if (missing.length > 0) throw notFound(`tag ${missing.join(', ')} not found in ${namespace}/${repository}`);
    const manifestIds = [...new Set(asked.map((t) => t.manifestId))];
    if (!this.registry) return { ...target, tags: asked, digests: [] };
    const siblings = all.filter((t) => manifestIds.includes(t.manifestId) && !names.includes(t.name));
    if (siblings.length > 0 && !options.removeAllTagsOfDigest) {
      const shared = siblings.map((t) => `${t.name} (${t.digest})`).join(', ');
      throw conflict(
        `deleting in the registry is by digest, which would also remove ${shared}; pass removeAllTagsOfDigest: true to remove them all`,
      );
    }
    return { ...target, tags: [...asked, ...siblings], digests: [...new Set(asked.map((t) => t.digest))] };
  }

  /**
   * Removes the planned tags; with a registry, those on digests it deleted,
   * and those manifests too. The registry's own delete events may have done
   * part of it already (they race this transaction); the answer is the same.
   */
  private async apply(tx: Db, plan: RemovalPlan, deletedDigests: string[] | null): Promise<Pick<RemovedTags, 'tags' | 'repositoryRemoved'>> {
    const doomed = (deletedDigests ? plan.tags.filter((t) => deletedDigests.includes(t.digest)) : plan.tags).sort((a, b) => a.name.localeCompare(b.name));
    const digests = deletedDigests ?? [];
    // Gone already: the registry's events removed the last tag, and the repository with it.
    if ((await lockRepository(tx, plan.namespace, plan.repository)) !== plan.repositoryId) return { tags: named(doomed), repositoryRemoved: true };
    const ids = doomed.map((t) => t.id);
    if (ids.length > 0) await tx.delete(tags).where(and(anyOf(tags.id, ids), anyOf(tags.manifestId, doomed.map((t) => t.manifestId))));
    if (digests.length > 0) await tx.delete(manifests).where(and(eq(manifests.repositoryId, plan.repositoryId), anyOf(manifests.digest, digests)));
    // A tag that a newer push moved to another digest in the meantime stays, and is not reported.
    const kept = ids.length > 0 ? await tx.select({ id: tags.id }).from(tags).where(anyOf(tags.id, ids)) : [];
    const removed = doomed.filter((t) => !kept.some((k) => k.id === t.id));
    const repositoryRemoved = await removeRepositoryIfUntagged(tx, plan.repositoryId);
    return { tags: named(removed), repositoryRemoved };
  }
}
