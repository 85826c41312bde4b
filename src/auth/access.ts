import { eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { namespaces, repositories, type Namespace } from '../db/schema';
import { forbidden } from '../errors';
import type { Viewer } from './viewer';

/**
 * Who may do what, for Berth's API and for the registry's tokens alike: the
 * one place access is decided. Services read through `visibleCondition` and
 * change through `mayChange`; the token service grants `registryActions`.
 */

/** Owners manage their namespace; admins manage every namespace, and own the ownerless `library`. */
function canManage(viewer: Viewer | null, namespace: Pick<Namespace, 'ownerId'>): boolean {
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
 * The one rule for reading (`mayRead` below) as SQL: a repository
 * exists for a viewer when it is public or the viewer manages its
 * namespace. Every query that can reveal a repository, its tags, manifests
 * or counts goes through this condition.
 */
export function visibleCondition(viewer: Viewer | null): SQL {
  if (!viewer) return eq(repositories.isPublic, true);
  if (viewer.role === 'admin') return sql`true`;
  return or(eq(repositories.isPublic, true), eq(namespaces.ownerId, viewer.accountId))!;
}

/** What a registry token can allow on a repository. */
export type RegistryAction = 'pull' | 'push' | 'delete';

export const REGISTRY_ACTIONS: readonly RegistryAction[] = ['pull', 'push', 'delete'];

/**
 * What Berth knows of a repository a caller asks about: its namespace's
 * owner (null for `library` and for namespaces nobody owns; undefined when
 * the namespace does not exist) and its publicity (for a repository Berth
 * does not know yet, the one a first push would give it).
 */
export interface RepositoryStanding {
  namespaceOwnerId: number | null | undefined;
  isPublic: boolean;
}

/**
 * The one rule for reading a repository: public, or in a namespace the
 * caller manages. `visibleCondition` is its SQL form, which the
 * API's every read goes through; the access matrix checks the two agree.
 */
export function mayRead(viewer: Viewer | null, repository: RepositoryStanding): boolean {
  return repository.isPublic || canManage(viewer, { ownerId: repository.namespaceOwnerId ?? null });
}

/**
 * The one rule for changing a namespace's repositories (push, delete, tag
 * removal, publicity): its owner or an admin, signed in with a password or
 * a WRITE token. A namespace nobody owns yet, `library` included, is an
 * admin's alone, so nobody can take another user's name by pushing first.
 */
export function mayChange(viewer: Viewer | null, namespaceOwnerId: number | null | undefined): boolean {
  return viewer?.permission === 'write' && canManage(viewer, { ownerId: namespaceOwnerId ?? null });
}

/** The registry actions a caller has on a repository: the API's rules, spelled as a token's. */
export function registryActions(viewer: Viewer | null, repository: RepositoryStanding): RegistryAction[] {
  const change = mayChange(viewer, repository.namespaceOwnerId);
  return REGISTRY_ACTIONS.filter((action) => (action === 'pull' ? mayRead(viewer, repository) : change));
}

/** The registry's catalog lists every repository, private ones included: admins only. */
export const mayListCatalog = (viewer: Viewer | null) => viewer?.role === 'admin';
