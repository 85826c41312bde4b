import { eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { namespaces, repositories, type AccessTokenPermission, type Namespace } from '../db/schema';
import { forbidden } from '../errors';

/** The caller a request acts for; `null` is an anonymous caller. */
export interface Viewer {
  accountId: number;
  name: string;
  role: 'admin' | 'user';
  /** A password signs in with `write`; an access token with the permission it was made with. */
  permission: AccessTokenPermission;
}

/** Owners manage their namespace; admins manage every namespace, and own the ownerless `library`. */
export function canManage(viewer: Viewer | null, namespace: Pick<Namespace, 'ownerId'>): boolean {
  if (!viewer) return false;
  return viewer.role === 'admin' || namespace.ownerId === viewer.accountId;
}

/**
 * A viewer signed in with a read-only access token changes nothing, not even
 * its own tokens or password: otherwise it could make itself a WRITE token.
 * An anonymous viewer passes: each change asks it to sign in.
 */
export function refuseReadOnly(viewer: Viewer | null): void {
  if (viewer?.permission === 'read') {
    throw forbidden('this access token can only read (permission READ); sign in with a password or a WRITE token to change anything');
  }
}

/** Repositories in namespaces the viewer manages (the legacy "mine"). */
export function managedCondition(viewer: Viewer): SQL {
  if (viewer.role === 'admin') return or(eq(namespaces.ownerId, viewer.accountId), isNull(namespaces.ownerId))!;
  return eq(namespaces.ownerId, viewer.accountId);
}

/**
 * The one rule for reading (`mayRead` in access.ts) as SQL: a repository
 * exists for a viewer when it is public or the viewer manages its
 * namespace. Every query that can reveal a repository, its tags, manifests
 * or counts goes through this condition.
 */
export function visibleCondition(viewer: Viewer | null): SQL {
  if (!viewer) return eq(repositories.isPublic, true);
  if (viewer.role === 'admin') return sql`true`;
  return or(eq(repositories.isPublic, true), eq(namespaces.ownerId, viewer.accountId))!;
}
