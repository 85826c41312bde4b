import { and, asc, count, desc, eq, gt, inArray, lt, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
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
  pullCount: manifests.pullCount,
  pushCount: manifests.pushCount,
};

/** A tag as a JSON array, in `tagTuple` order; times are epoch milliseconds. */
type TagTuple = [number, string, number, number, number, number, string, string, number, number, number];
const epochMs = (column: SQLWrapper) => sql`(extract(epoch from ${column}) * 1000)::bigint`;
const tagTuple = sql.join(
  [
    tags.id,
    tags.name,
    tags.manifestId,
    epochMs(tags.createdAt),
    epochMs(tags.updatedAt),
    epochMs(tags.pushedAt),
    manifests.digest,
    manifests.mediaType,
    manifests.size,
    manifests.pullCount,
    manifests.pushCount,
  ],
  sql`, `,
);
const fromTuple = (repositoryId: number, t: TagTuple): TagRecord => ({
  id: t[0],
  name: t[1],
  repositoryId,
  manifestId: t[2],
  createdAt: new Date(t[3]),
  updatedAt: new Date(t[4]),
  pushedAt: new Date(t[5]),
  digest: t[6],
  mediaType: t[7],
  size: t[8],
  pullCount: t[9],
  pushCount: t[10],
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
        id: tags.id,
        rank: sql<number>`row_number() over (partition by ${tags.repositoryId} order by ${sort(column)}, ${sort(tags.id)})`.as('rank'),
      })
      .from(tags)
      .where(and(...conditions))
      .as('ranked');
    // One row per repository whose tags PostgreSQL hands over as one JSON
    // array: JSON.parse reads a page of 1,000 tags several times faster than
    // the driver and the ORM map 1,000 rows of twelve columns.
    const rows = await this.db
      .select({ repositoryId: tags.repositoryId, page: sql<TagTuple[]>`json_agg(json_build_array(${tagTuple}) order by ${ranked.rank})` })
      .from(ranked)
      .innerJoin(tags, eq(tags.id, ranked.id))
      .innerJoin(manifests, eq(tags.manifestId, manifests.id))
      .where(lte(ranked.rank, page.first + 1))
      .groupBy(tags.repositoryId);
    const byRepository = new Map(rows.map((row) => [row.repositoryId, row.page.map((tuple) => fromTuple(row.repositoryId, tuple))]));
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

