import { and, count, desc, eq, lte, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/client';
import { anyOf, pairIn, storable } from '../db/sql';
import { knownSize } from './manifests';
import { manifests, tags } from '../db/schema';
import { afterCursor, encodeCursor, keysetOrder, type Order, type Page, type PageArgs } from './pagination';
import { markVisible, type VisibleManifestId, type VisibleRepositoryId } from './repositories';

export type TagOrderField = 'name' | 'pushedAt';

export type TagOrder = Order<TagOrderField>;

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
  size: knownSize.as('size'),
  pullCount: manifests.pullCount,
  pushCount: manifests.pushCount,
};

/** The fields of a tag's JSON tuple, in order; times travel as epoch milliseconds. */
const TUPLE_FIELDS = ['id', 'name', 'manifestId', 'createdAt', 'updatedAt', 'pushedAt', 'digest', 'mediaType', 'size', 'pullCount', 'pushCount'] as const;
const isTime = (field: string) => field === 'createdAt' || field === 'updatedAt' || field === 'pushedAt';
type TagTuple = (string | number | null)[];
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
    readonly repositoryId: VisibleRepositoryId,
    readonly tuple: TagTuple,
  ) {}
}
interface TupleTag extends Omit<TagRecord, 'repositoryId'> {}
TUPLE_FIELDS.forEach((field, i) => {
  const get = isTime(field)
    ? function (this: TupleTag) {
        return new Date(this.tuple[i] as number);
      }
    : function (this: TupleTag) {
        return this.tuple[i];
      };
  Object.defineProperty(TupleTag.prototype, field, { get });
});

/** A tag of a visible repository; its manifest is then visible too. */
export interface TagRecord {
  id: number;
  name: string;
  repositoryId: VisibleRepositoryId;
  manifestId: VisibleManifestId;
  createdAt: Date;
  updatedAt: Date;
  pushedAt: Date;
  digest: string;
  mediaType: string;
  size: number | null;
  /** Pulls and pushes of the tag's current digest in its repository. */
  pullCount: number;
  pushCount: number;
}

/** A tag by the id of its repository and its name. */
export interface TagKey {
  repositoryId: VisibleRepositoryId;
  name: string;
}

export const tagKey = (key: TagKey) => `${key.repositoryId}/${key.name}`;

export class TagService {
  constructor(private readonly db: Db) {}

  /**
   * One page of tags for each of many repositories, in one statement: the
   * rows are ranked per repository and cut at `first + 1`.
   */
  async pagesByRepository(repositoryIds: readonly VisibleRepositoryId[], order: TagOrder, page: PageArgs): Promise<Page<TagRecord>[]> {
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
    const byRepository = new Map(rows.map((row) => [row.repositoryId, row.page]));
    const cursorOf = (tag: TagRecord) => encodeCursor(order.field === 'name' ? tag.name : tag.pushedAt, tag.id);
    return repositoryIds.map((id) => {
      const tuples = byRepository.get(id) ?? [];
      return { nodes: tuples.slice(0, page.first).map((tuple) => new TupleTag(id, tuple)), hasNextPage: tuples.length > page.first, cursorOf };
    });
  }

  async countsByRepository(repositoryIds: readonly VisibleRepositoryId[]): Promise<number[]> {
    const rows = await this.db
      .select({ repositoryId: tags.repositoryId, n: count() })
      .from(tags)
      .where(anyOf(tags.repositoryId, [...repositoryIds]))
      .groupBy(tags.repositoryId);
    const counts = new Map(rows.map((r) => [r.repositoryId, r.n]));
    return repositoryIds.map((id) => counts.get(id) ?? 0);
  }

  /** The most recently pushed tag of each repository (the legacy `LatestTag`). */
  async latestByRepository(repositoryIds: readonly VisibleRepositoryId[]): Promise<(TagRecord | null)[]> {
    // Pick each repository's newest tag from tags alone, then read only those
    // manifests: joining first would read a manifest row for every tag.
    const newest = this.db
      .selectDistinctOn([tags.repositoryId], { id: tags.id })
      .from(tags)
      .where(anyOf(tags.repositoryId, [...repositoryIds]))
      .orderBy(tags.repositoryId, desc(tags.pushedAt), desc(tags.id))
      .as('newest');
    const rows = markVisible<TagRecord>(
      await this.db.select(tagColumns).from(tags).innerJoin(newest, eq(tags.id, newest.id)).innerJoin(manifests, eq(tags.manifestId, manifests.id)),
    );
    const latest = new Map(rows.map((r) => [r.repositoryId, r]));
    return repositoryIds.map((id) => latest.get(id) ?? null);
  }

  /** Tags by repository and name, in one statement; null where a repository has no such tag. */
  async byNames(keys: readonly TagKey[]): Promise<(TagRecord | null)[]> {
    const rows = markVisible<TagRecord>(
      await this.db
        .select(tagColumns)
        .from(tags)
        .innerJoin(manifests, eq(tags.manifestId, manifests.id))
        .where(pairIn(tags.repositoryId, tags.name, keys.filter((k) => storable(k.name)).map((k) => [k.repositoryId, k.name]))),
    );
    const found = new Map(rows.map((row) => [tagKey(row), row]));
    return keys.map((key) => found.get(tagKey(key)) ?? null);
  }
}
