import { eq } from 'drizzle-orm';
import type { Viewer } from '../auth/viewer';
import type { Db } from '../db/client';
import { namespaces } from '../db/schema';
import { badInput, conflict, unauthenticated } from '../errors';

/** The legacy server's rule for namespace names. */
export const NAMESPACE_NAME = /^[0-9a-z][0-9a-z_-]{0,28}[0-9a-z]$/;

/** The namespace of official images; it has no owner and belongs to every admin. */
export const LIBRARY = 'library';

/** A repository first seen in the registry is public in `library` and private elsewhere, as on the legacy server. */
export const isPublicByDefault = (namespace: string) => namespace === LIBRARY;

export interface NamespaceRecord {
  id: number;
  name: string;
  createdAt: Date;
}

const namespaceColumns = { id: namespaces.id, name: namespaces.name, createdAt: namespaces.createdAt };

/** Namespaces: one per account, as on the legacy server, plus the admins' `library`. */
export class NamespaceService {
  constructor(private readonly db: Db) {}

  /** The namespace the viewer owns; null for an anonymous caller or an account without one yet. */
  async ofViewer(viewer: Viewer | null): Promise<NamespaceRecord | null> {
    if (!viewer) return null;
    const [row] = await this.db.select(namespaceColumns).from(namespaces).where(eq(namespaces.ownerId, viewer.accountId)).limit(1);
    return row ?? null;
  }

  async create(viewer: Viewer | null, name: string): Promise<NamespaceRecord> {
    if (!viewer) throw unauthenticated('sign in to create a namespace');
    if (!NAMESPACE_NAME.test(name)) {
      throw badInput('a namespace is 2 to 30 lowercase letters, digits, "_" or "-", starting and ending with a letter or digit');
    }
    if (name === LIBRARY && viewer.role !== 'admin') throw conflict(`namespace ${LIBRARY} is reserved for admins`);
    // library stays ownerless, so creating it does not use up an admin's one namespace.
    const ownerId = name === LIBRARY ? null : viewer.accountId;
    // Both the name and the owner are unique, so a race between two requests ends in one row and one conflict.
    const [created] = await this.db.insert(namespaces).values({ name, ownerId }).onConflictDoNothing().returning(namespaceColumns);
    if (created) return created;
    const existing = ownerId === null ? null : await this.ofViewer(viewer);
    if (existing) throw conflict(`you already have namespace ${existing.name}; an account has one namespace`);
    throw conflict(`namespace ${name} is taken`);
  }
}
