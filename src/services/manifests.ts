import { eq, getTableColumns, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { anyOf, pairIn, storable } from '../db/sql';
import { manifests, tags, type Manifest as ManifestRow } from '../db/schema';
import type { VisibleManifestId, VisibleRepositoryId } from './repositories';

/** A manifest by the id of its repository and a tag name or digest. */
export interface ManifestReference {
  repositoryId: VisibleRepositoryId;
  reference: string;
}

/** Takes a plain id too: a manifest read back carries its repository's id as the database returns it. */
export const referenceKey = (key: { repositoryId: number; reference: string }) => `${key.repositoryId}/${key.reference}`;

/**
 * A manifest's size once it is known: read from the registry, or summed from
 * the config and layers its push event listed; null before (an index, or a
 * push or sync that listed nothing, until the manifest is fetched).
 */
export const knownSize = sql<number | null>`case when ${manifests.fetchedAt} is not null or jsonb_array_length(${manifests.layers}) > 0 then ${manifests.size} end`;

/** A manifest as readers get it: its size null until known. */
const manifestColumns = { ...getTableColumns(manifests), size: knownSize };
export type Manifest = Omit<ManifestRow, 'size'> & { size: number | null };

export class ManifestService {
  constructor(private readonly db: Db) {}

  /** Manifests by id, in the order asked. */
  async byIds(ids: readonly VisibleManifestId[]): Promise<(Manifest | null)[]> {
    const rows = await this.db.select(manifestColumns).from(manifests).where(anyOf(manifests.id, [...ids]));
    const byId = new Map(rows.map((m) => [m.id, m]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * The manifests that tags or digests name, in one statement; null where
   * there is none.
   */
  async byReferences(references: readonly ManifestReference[]): Promise<(Manifest | null)[]> {
    const pairs = (digests: boolean) =>
      references.filter((r) => isDigest(r.reference) === digests && storable(r.reference)).map((r): [number, string] => [r.repositoryId, r.reference]);
    const rows = await this.db
      .select({ manifest: manifestColumns, tag: tags.name })
      .from(manifests)
      // Only the tags asked for join, so a manifest found by digest comes once.
      .leftJoin(tags, sql`${eq(tags.manifestId, manifests.id)} and ${pairIn(tags.repositoryId, tags.name, pairs(false))}`)
      .where(or(pairIn(manifests.repositoryId, manifests.digest, pairs(true)), isNotNull(tags.id)));
    const found = new Map<string, Manifest>();
    for (const { manifest, tag } of rows) {
      found.set(referenceKey({ repositoryId: manifest.repositoryId, reference: manifest.digest }), manifest);
      if (tag !== null) found.set(referenceKey({ repositoryId: manifest.repositoryId, reference: tag }), manifest);
    }
    return references.map((r) => found.get(referenceKey(r)) ?? null);
  }
}

/** Tags cannot contain ':', digests always do (algorithm:hex). */
export const isDigest = (reference: string) => reference.includes(':');
