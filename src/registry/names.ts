import type { RepositoryName } from '../services/repositories';

/** A component of a repository name, as Distribution's reference grammar (and the token scope grammar) defines it. */
export const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** Distribution refuses longer repository names. */
export const NAME_LENGTH = 255;

/** Components joined by "/", as the registry names a repository (without a host). */
export const isRepositoryPath = (parts: readonly string[]) => parts.every((part) => COMPONENT.test(part));

/** A repository name by Distribution's grammar: lowercase components separated by "/", at most NAME_LENGTH characters. */
export const isRepositoryName = (text: string) => text.length <= NAME_LENGTH && isRepositoryPath(text.split('/'));

/**
 * Berth shows repositories named namespace/name, as the legacy server did;
 * events about other names (one part, or three and more) are recorded only.
 */
export function splitRepository(repository: string): RepositoryName | null {
  const parts = repository.split('/');
  if (parts.length !== 2 || !isRepositoryPath(parts)) return null;
  return { namespace: parts[0], name: parts[1] };
}
