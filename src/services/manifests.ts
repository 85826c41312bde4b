import { eq, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { anyOf } from '../db/sql';
import { manifests, tags, type Manifest } from '../db/schema';
import { storable } from './repositories';

/** A manifest by the id of its repository and a tag name or digest. */
export interface ManifestReference {
  repositoryId: number;
  reference: string;
}

export const referenceKey = (key: ManifestReference) => `${key.repositoryId}/${key.reference}`;

/** `(repository, text) IN (…)`: one condition for many keys, as two array parameters (see db/sql.ts); false for none. */
export function pairIn(repositoryColumn: PgColumn, textColumn: PgColumn, pairs: [number, string][]): SQL {
  if (pairs.length === 0) return sql`false`;
  const ids = sql.param(pairs.map(([id]) => id));
  const texts = sql.param(pairs.map(([, text]) => text));
  return sql`(${repositoryColumn}, ${textColumn}) in (select * from unnest(${ids}::integer[], ${texts}::text[]))`;
}

export class ManifestService {
  constructor(private readonly db: Db) {}

  /** Manifests by id, in the order asked. Callers reach them only through a tag of a visible repository. */
  async byIds(ids: readonly number[]): Promise<(Manifest | null)[]> {
    const rows = await this.db.select().from(manifests).where(anyOf(manifests.id, [...ids]));
    const byId = new Map(rows.map((m) => [m.id, m]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * The manifests that tags or digests name, in one statement; null where
   * there is none. Callers pass repositories the viewer may see.
   */
  async byReferences(references: readonly ManifestReference[]): Promise<(Manifest | null)[]> {
    const pairs = (digests: boolean) =>
      references.filter((r) => isDigest(r.reference) === digests && storable(r.reference)).map((r): [number, string] => [r.repositoryId, r.reference]);
    const rows = await this.db
      .select({ manifest: manifests, tag: tags.name })
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
