import { canManage, type Viewer } from './viewer';

/** What a registry token can allow on a repository. */
export type RegistryAction = 'pull' | 'push' | 'delete';

export const REGISTRY_ACTIONS: readonly RegistryAction[] = ['pull', 'push', 'delete'];

/**
 * What Berth knows of a repository a caller asks about: its namespace's
 * owner (null for `library` and for namespaces nobody owns; undefined when
 * the namespace does not exist) and its publicity (null when Berth does not
 * know the repository, which then gets the publicity a first push gives).
 */
export interface RepositoryStanding {
  namespaceOwnerId: number | null | undefined;
  isPublic: boolean;
}

/**
 * The one rule for reading a repository: public, or in a namespace the
 * caller manages. `visibleCondition` (viewer.ts) is its SQL form, which the
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
