import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { manifests, tags, type Manifest } from '../db/schema';
import { notFound } from '../errors';

export class ManifestService {
  constructor(private readonly db: Db) {}

  /** Manifests by id, in the order asked. Callers reach them only through a tag of a visible repository. */
  async byIds(ids: readonly number[]): Promise<(Manifest | null)[]> {
    const rows = await this.db.select().from(manifests).where(inArray(manifests.id, [...ids]));
    const byId = new Map(rows.map((m) => [m.id, m]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The manifest a tag or a digest names in one repository. */
  async byReference(repositoryId: number, reference: string): Promise<Manifest> {
    const [row] = isDigest(reference)
      ? await this.db.select().from(manifests).where(and(eq(manifests.repositoryId, repositoryId), eq(manifests.digest, reference))).limit(1)
      : await this.db
          .select({ manifest: manifests })
          .from(tags)
          .innerJoin(manifests, eq(tags.manifestId, manifests.id))
          .where(and(eq(tags.repositoryId, repositoryId), eq(tags.name, reference)))
          .limit(1)
          .then((rows) => rows.map((r) => r.manifest));
    if (!row) throw notFound(`manifest ${reference} not found`);
    return row;
  }
}

/** Tags cannot contain ':', digests always do (algorithm:hex). */
export const isDigest = (reference: string) => reference.includes(':');
