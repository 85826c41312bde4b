import { and, count, desc, eq, lte, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { anyOf, pairIn, storable } from '../db/sql';
import { manifests, repositories, tags } from '../db/schema';
import { conflict, notFound, upstreamFailure } from '../errors';
import { RegistryError, type RegistryClient } from '../registry/client';
import { afterCursor, encodeCursor, keysetOrder, type Page, type PageArgs, type SortDirection } from './pagination';
import { removeRepositoryIfUntagged, type RepositoryService } from './repositories';

export type TagOrderField = 'name' | 'pushedAt';

export interface TagOrder {
  field: TagOrderField;
  direction: SortDirection;
}

/**
 * A tag with the summary of the manifest it points at, read in the same
 * statement; the names are distinct, so a subquery can carry them.
 */
const tagColumns = {
  id: tags.id,
  name: tags.name,
  repositoryId: tags.repositoryId,
  manifestId: tags.manifestId,
  createdAt: tags.createdAt,
  updatedAt: tags.updatedAt,
  pushedAt: tags.pushedAt,
  digest: manifests.digest,
  mediaType: manifests.mediaType,
  size: manifests.size,
  pullCount: manifests.pullCount,
  pushCount: manifests.pushCount,
};

/** The fields of a tag's JSON tuple, in order; times travel as epoch milliseconds. */
const TUPLE_FIELDS = ['id', 'name', 'manifestId', 'createdAt', 'updatedAt', 'pushedAt', 'digest', 'mediaType', 'size', 'pullCount', 'pushCount'] as const;
const isTime = (field: string) => field === 'createdAt' || field === 'updatedAt' || field === 'pushedAt';
type TagTuple = (string | number)[];
const epochMs = (column: SQLWrapper) => sql`(extract(epoch from ${column}) * 1000)::bigint`;
const tupleOf = (row: Record<keyof typeof tagColumns, SQLWrapper>) =>
  sql.join(
    TUPLE_FIELDS.map((field) => (isTime(field) ? epochMs(row[field]) : row[field])),
    sql`, `,
  );

/**
 * A tag of a page, read from its JSON tuple when a field is asked for: a
 * page of 1,000 tags then builds no record objects, and no dates that the
 * query does not select. Its getters come from TUPLE_FIELDS, below.
 */
class TupleTag {
  constructor(
    readonly repositoryId: number,
    readonly tuple: TagTuple,
  ) {}
}
interface TupleTag extends Omit<TagRecord, 'repositoryId'> {}
TUPLE_FIELDS.forEach((field, i) => {
  const get = isTime(field)
    ? function (this: TupleTag) {
        return new Date(this.tuple[i]);
      }
    : function (this: TupleTag) {
        return this.tuple[i];
      };
  Object.defineProperty(TupleTag.prototype, field, { get });
});

export interface TagRecord {
  id: number;
  name: string;
  repositoryId: number;
  manifestId: number;
  createdAt: Date;
  updatedAt: Date;
  pushedAt: Date;
  digest: string;
  mediaType: string;
  size: number;
  /** Pulls and pushes of the tag's current digest in its repository. */
  pullCount: number;
  pushCount: number;
}

/** A tag by the id of its repository and its name. */
export interface TagKey {
  repositoryId: number;
  name: string;
}

export const tagKey = (key: TagKey) => `${key.repositoryId}/${key.name}`;

export interface RemovedTags {
  namespace: string;
  repository: string;
  tags: { name: string; digest: string }[];
  /** Manifests deleted in the registry (none when no registry is configured). */
  digests: string[];
  /** True when the last tag went and the repository went with it, as on the legacy server. */
  repositoryRemoved: boolean;
}

export interface RemoveOptions {
  /** Agree that deleting a digest in the registry removes every tag on it. */
  removeAllTagsOfDigest?: boolean;
}

interface RemovalPlan {
  repositoryId: number;
  tags: { id: number; name: string; manifestId: number; digest: string }[];
  /** Digests to delete in the registry, in order. */
  digests: string[];
}

export class TagService {
  constructor(
    private readonly db: Db,
    private readonly repositories: RepositoryService,
    /** When set, deletes reach the registry before Berth changes. */
    private readonly registry: RegistryClient | null = null,
  ) {}

  /**
   * One page of tags for each of many repositories, in one statement: the
   * rows are ranked per repository and cut at `first + 1`. Callers pass ids
   * of repositories the viewer has already been allowed to see.
   */
  async pagesByRepository(repositoryIds: readonly number[], order: TagOrder, page: PageArgs): Promise<Page<TagRecord>[]> {
    const column = order.field === 'name' ? tags.name : tags.pushedAt;
    const conditions: SQL[] = [anyOf(tags.repositoryId, [...repositoryIds])];
    if (page.after) conditions.push(afterCursor(page.after, column, tags.id, order.direction));
    // Ranked in a subquery that carries the columns, then each repository's
    // page aggregated into one JSON array of tuples: JSON.parse reads a page
    // of 1,000 tags several times faster than the driver and the ORM map
    // 1,000 rows of twelve columns.
    const ranked = this.db
      .select({
        ...tagColumns,
        rank: sql<number>`row_number() over (partition by ${tags.repositoryId} order by ${sql.join(keysetOrder(column, tags.id, order.direction), sql`, `)})`.as('rank'),
      })
      .from(tags)
      .innerJoin(manifests, eq(tags.manifestId, manifests.id))
      .where(and(...conditions))
      .as('ranked');
    const rows = await this.db
      .select({ repositoryId: ranked.repositoryId, page: sql<TagTuple[]>`json_agg(json_build_array(${tupleOf(ranked)}) order by ${ranked.rank})` })
      .from(ranked)
      .where(lte(ranked.rank, page.first + 1))
      .groupBy(ranked.repositoryId);
    const byRepository = new Map(rows.map((row) => [row.repositoryId, row.page.map((tuple) => new TupleTag(row.repositoryId, tuple))]));
    const cursorOf = (tag: TagRecord) => encodeCursor(order.field === 'name' ? tag.name : tag.pushedAt, tag.id);
    return repositoryIds.map((id) => {
      const list = byRepository.get(id) ?? [];
      return { nodes: list.slice(0, page.first), hasNextPage: list.length > page.first, cursorOf };
    });
  }

  async countsByRepository(repositoryIds: readonly number[]): Promise<number[]> {
    const rows = await this.db
      .select({ repositoryId: tags.repositoryId, n: count() })
      .from(tags)
      .where(anyOf(tags.repositoryId, [...repositoryIds]))
      .groupBy(tags.repositoryId);
    const counts = new Map(rows.map((r) => [r.repositoryId, r.n]));
    return repositoryIds.map((id) => counts.get(id) ?? 0);
  }

  /** The most recently pushed tag of each repository (the legacy `LatestTag`). */
  async latestByRepository(repositoryIds: readonly number[]): Promise<(TagRecord | null)[]> {
    // Pick each repository's newest tag from tags alone, then read only those
    // manifests: joining first would read a manifest row for every tag.
    const newest = this.db
      .selectDistinctOn([tags.repositoryId], { id: tags.id })
      .from(tags)
      .where(anyOf(tags.repositoryId, [...repositoryIds]))
      .orderBy(tags.repositoryId, desc(tags.pushedAt), desc(tags.id))
      .as('newest');
    const rows = await this.db
      .select(tagColumns)
      .from(tags)
      .innerJoin(newest, eq(tags.id, newest.id))
      .innerJoin(manifests, eq(tags.manifestId, manifests.id));
    const latest = new Map(rows.map((r) => [r.repositoryId, r]));
    return repositoryIds.map((id) => latest.get(id) ?? null);
  }

  /** Tags by repository and name, in one statement; null where a repository has no such tag. */
  async byNames(keys: readonly TagKey[]): Promise<(TagRecord | null)[]> {
    const rows = await this.db
      .select(tagColumns)
      .from(tags)
      .innerJoin(manifests, eq(tags.manifestId, manifests.id))
      .where(pairIn(tags.repositoryId, tags.name, keys.filter((k) => storable(k.name)).map((k) => [k.repositoryId, k.name])));
    const found = new Map(rows.map((row) => [tagKey(row), row]));
    return keys.map((key) => found.get(tagKey(key)) ?? null);
  }

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
    let failure: RegistryError | null = null;
    if (this.registry) {
      for (const digest of plan.digests) {
        try {
          // false: the registry no longer had it, which is the state Berth is after too.
          await this.registry.deleteManifest(`${namespace}/${repository}`, digest);
          deleted.push(digest);
        } catch (error) {
          if (!(error instanceof RegistryError)) throw error;
          failure = error;
          break;
        }
      }
    }
    if (failure && deleted.length === 0) throw upstreamFailure(`the registry did not delete ${namespace}/${repository}: ${failure.message}`);
    const removed = await this.db.transaction((tx) => this.apply(tx, plan, this.registry ? deleted : null));
    if (failure) {
      const done = removed.tags.map((t) => t.name).join(', ') || 'nothing';
      throw upstreamFailure(`the registry deleted only part of ${namespace}/${repository} (removed: ${done}): ${failure.message}`);
    }
    return { namespace, repository, ...removed };
  }

  /** What a remove will touch, checked under the repository's lock: the tags, and the digests to delete upstream. */
  private async plan(tx: Db, viewer: Viewer | null, namespace: string, repository: string, names: string[] | undefined, options: RemoveOptions): Promise<RemovalPlan> {
    const owner = await this.repositories.findForChange(viewer, namespace, repository, tx);
    const all = await tx
      .select({ id: tags.id, name: tags.name, manifestId: tags.manifestId, digest: manifests.digest })
      .from(tags)
      .innerJoin(manifests, eq(tags.manifestId, manifests.id))
      .where(eq(tags.repositoryId, owner.id));
    if (!names) {
      const every = await tx.select({ id: manifests.id, digest: manifests.digest }).from(manifests).where(eq(manifests.repositoryId, owner.id));
      return { repositoryId: owner.id, tags: all, digests: every.map((m) => m.digest) };
    }
    const asked = all.filter((t) => names.includes(t.name));
    const missing = names.filter((n) => !asked.some((t) => t.name === n));
    if (missing.length > 0) throw notFound(`tag ${missing.join(', ')} not found in ${namespace}/${repository}`);
    const manifestIds = [...new Set(asked.map((t) => t.manifestId))];
    if (!this.registry) return { repositoryId: owner.id, tags: asked, digests: [] };
    const siblings = all.filter((t) => manifestIds.includes(t.manifestId) && !names.includes(t.name));
    if (siblings.length > 0 && !options.removeAllTagsOfDigest) {
      const shared = siblings.map((t) => `${t.name} (${t.digest})`).join(', ');
      throw conflict(
        `deleting in the registry is by digest, which would also remove ${shared}; pass removeAllTagsOfDigest: true to remove them all`,
      );
    }
    return { repositoryId: owner.id, tags: [...asked, ...siblings], digests: [...new Set(asked.map((t) => t.digest))] };
  }

  /**
   * Removes the planned tags; with a registry, those on digests it deleted,
   * and those manifests too. The registry's own delete events may have done
   * part of it already (they race this transaction); the answer is the same.
   */
  private async apply(tx: Db, plan: RemovalPlan, deletedDigests: string[] | null): Promise<Omit<RemovedTags, 'namespace' | 'repository'>> {
    const doomed = (deletedDigests ? plan.tags.filter((t) => deletedDigests.includes(t.digest)) : plan.tags).sort((a, b) => a.name.localeCompare(b.name));
    const digests = deletedDigests ?? [];
    const [repository] = await tx.select({ id: repositories.id }).from(repositories).where(eq(repositories.id, plan.repositoryId)).for('update');
    // Gone already: the registry's events removed the last tag, and the repository with it.
    if (!repository) return { tags: doomed.map(({ name, digest }) => ({ name, digest })), digests, repositoryRemoved: true };
    const ids = doomed.map((t) => t.id);
    if (ids.length > 0) await tx.delete(tags).where(and(anyOf(tags.id, ids), anyOf(tags.manifestId, doomed.map((t) => t.manifestId))));
    if (digests.length > 0) await tx.delete(manifests).where(and(eq(manifests.repositoryId, plan.repositoryId), anyOf(manifests.digest, digests)));
    // A tag that a newer push moved to another digest in the meantime stays, and is not reported.
    const kept = ids.length > 0 ? await tx.select({ id: tags.id }).from(tags).where(anyOf(tags.id, ids)) : [];
    const removed = doomed.filter((t) => !kept.some((k) => k.id === t.id));
    const repositoryRemoved = await removeRepositoryIfUntagged(tx, plan.repositoryId);
    return { tags: removed.map(({ name, digest }) => ({ name, digest })), digests, repositoryRemoved };
  }
}

