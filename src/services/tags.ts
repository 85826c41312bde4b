import { and, asc, count, desc, eq, gt, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { manifests, repositories, tags } from '../db/schema';
import { notFound } from '../errors';
import { decodeCursor, encodeCursor, type Page, type PageArgs } from './pagination';
import type { RepositoryService, SortDirection } from './repositories';

export type TagOrderField = 'name' | 'pushedAt';

export interface TagOrder {
  field: TagOrderField;
  direction: SortDirection;
}

/** A tag with the summary of the manifest it points at, read in the same statement. */
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
  pullCount: sql<number>`${manifests.pullCount}`.mapWith(Number).as('manifest_pull_count'),
  pushCount: sql<number>`${manifests.pushCount}`.mapWith(Number).as('manifest_push_count'),
};

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

export interface RemovedTags {
  namespace: string;
  repository: string;
  tags: { name: string; digest: string }[];
  /** True when the last tag went and the repository went with it, as on the legacy server. */
  repositoryRemoved: boolean;
}

export class TagService {
  constructor(
    private readonly db: Db,
    private readonly repositories: RepositoryService,
  ) {}

  /**
   * One page of tags for each of many repositories, in one statement: the
   * rows are ranked per repository and cut at `first + 1`. Callers pass ids
   * of repositories the viewer has already been allowed to see.
   */
  async pagesByRepository(repositoryIds: readonly number[], order: TagOrder, page: PageArgs): Promise<Page<TagRecord>[]> {
    const column = order.field === 'name' ? tags.name : tags.pushedAt;
    const sort = order.direction === 'asc' ? asc : desc;
    const conditions: SQL[] = [inArray(tags.repositoryId, [...repositoryIds])];
    if (page.after) {
      const [value, id] = decodeCursor(page.after, order.field === 'name' ? 'string' : 'date');
      const beyond = order.direction === 'asc' ? gt : lt;
      conditions.push(or(beyond(column, value), and(eq(column, value), beyond(tags.id, id)))!);
    }
    const ranked = this.db
      .select({
        ...tagColumns,
        rank: sql<number>`row_number() over (partition by ${tags.repositoryId} order by ${sort(column)}, ${sort(tags.id)})`.as('rank'),
      })
      .from(tags)
      .innerJoin(manifests, eq(tags.manifestId, manifests.id))
      .where(and(...conditions))
      .as('ranked');
    const rows = await this.db
      .select()
      .from(ranked)
      .where(lte(ranked.rank, page.first + 1))
      .orderBy(ranked.repositoryId, ranked.rank);
    const byRepository = new Map<number, TagRecord[]>();
    for (const { rank: _rank, ...row } of rows) {
      const list = byRepository.get(row.repositoryId) ?? [];
      list.push(row);
      byRepository.set(row.repositoryId, list);
    }
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
      .where(inArray(tags.repositoryId, [...repositoryIds]))
      .groupBy(tags.repositoryId);
    const counts = new Map(rows.map((r) => [r.repositoryId, r.n]));
    return repositoryIds.map((id) => counts.get(id) ?? 0);
  }

  /** The most recently pushed tag of each repository (the legacy `LatestTag`). */
  async latestByRepository(repositoryIds: readonly number[]): Promise<(TagRecord | null)[]> {
    const rows = await this.db
      .selectDistinctOn([tags.repositoryId], tagColumns)
      .from(tags)
      .innerJoin(manifests, eq(tags.manifestId, manifests.id))
      .where(inArray(tags.repositoryId, [...repositoryIds]))
      .orderBy(tags.repositoryId, desc(tags.pushedAt), desc(tags.id));
    const latest = new Map(rows.map((r) => [r.repositoryId, r]));
    return repositoryIds.map((id) => latest.get(id) ?? null);
  }

  async find(viewer: Viewer | null, namespace: string, repository: string, tag: string): Promise<TagRecord> {
    const owner = await this.repositories.find(viewer, namespace, repository);
    const [row] = await this.db
      .select(tagColumns)
      .from(tags)
      .innerJoin(manifests, eq(tags.manifestId, manifests.id))
      .where(and(eq(tags.repositoryId, owner.id), eq(tags.name, tag)))
      .limit(1);
    if (!row) throw notFound(`tag ${tag} not found in ${namespace}/${repository}`);
    return row;
  }

  /**
   * Removes tags of one repository in one transaction (all of them when
   * `names` is undefined). A repository left without tags is removed with
   * its manifests and counters.
   */
  async remove(viewer: Viewer | null, namespace: string, repository: string, names?: string[]): Promise<RemovedTags> {
    return this.db.transaction(async (tx) => {
      const owner = await this.repositories.findForChange(viewer, namespace, repository, tx);
      const where = names ? and(eq(tags.repositoryId, owner.id), inArray(tags.name, names)) : eq(tags.repositoryId, owner.id);
      const doomed = await tx
        .select({ id: tags.id, name: tags.name, digest: manifests.digest })
        .from(tags)
        .innerJoin(manifests, eq(tags.manifestId, manifests.id))
        .where(where);
      const missing = names?.filter((n) => !doomed.some((t) => t.name === n)) ?? [];
      if (missing.length > 0) throw notFound(`tag ${missing.join(', ')} not found in ${namespace}/${repository}`);
      if (doomed.length > 0) await tx.delete(tags).where(inArray(tags.id, doomed.map((t) => t.id)));
      const [{ left }] = await tx.select({ left: count() }).from(tags).where(eq(tags.repositoryId, owner.id));
      if (left === 0) await tx.delete(repositories).where(eq(repositories.id, owner.id));
      return {
        namespace,
        repository,
        tags: doomed.map(({ name, digest }) => ({ name, digest })),
        repositoryRemoved: left === 0,
      };
    });
  }
}

