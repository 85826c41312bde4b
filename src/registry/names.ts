import type { RepositoryName } from '../services/repositories';

/** A component of a repository name, as Distribution's reference grammar (and the token scope grammar) defines it. */
export const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Berth shows repositories named namespace/name, as the legacy server did;
 * events about other names (one part, or three and more) are recorded only.
 */
export function splitRepository(repository: string): RepositoryName | null {
  const parts = repository.split('/');
  if (parts.length !== 2 || !parts.every((p) => COMPONENT.test(p))) return null;
  return { namespace: parts[0], name: parts[1] };
}
