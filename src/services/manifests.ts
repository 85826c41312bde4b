import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { manifests, type Manifest } from '../db/schema';

export class ManifestService {
  constructor(private readonly db: Db) {}

  /** Manifests by id, in the order asked. Callers reach them only through a tag of a visible repository. */
  async byIds(ids: readonly number[]): Promise<(Manifest | null)[]> {
    const rows = await this.db.select().from(manifests).where(inArray(manifests.id, [...ids]));
    const byId = new Map(rows.map((m) => [m.id, m]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
