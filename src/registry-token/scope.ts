import { badInput } from '../errors';
import { COMPONENT, isRepositoryPath, NAME_LENGTH, splitRepository } from '../registry/names';
import type { RepositoryName } from '../services/repositories';

/**
 * One resource scope of a token request, `type:name:action,…`, as
 * Distribution's token spec defines it (docs/spec/auth/scope.md).
 */
export interface ResourceScope {
  /** The resource type without its deprecated class: `repository(plugin)` is `repository`. */
  type: string;
  /** The name exactly as asked: the token names it so, and the registry compares it byte for byte. */
  name: string;
  /** As asked, without duplicates or empty ones; `*` is every action. */
  actions: string[];
  /**
   * For a repository scope, the repository Berth governs under exactly this
   * name: `namespace/name`, with no registry host before it. Null for every
   * other name (`localhost/bob/x`, `a/b/c`, `one`), which only admins get,
   * so a scope is never judged on one name and granted on another.
   */
  repository: RepositoryName | null;
}

/** `resourcetype := resourcetypevalue [ '(' resourcetypevalue ')' ]`. */
const RESOURCE_TYPE = /^([a-z0-9]+)(?:\([a-z0-9]+\))?$/;
/** `action := /[a-z]*\/`, and the `*` clients ask for "everything" (skopeo delete, the catalog). */
const ACTION = /^(?:[a-z]*|\*)$/;
const HOST_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^[0-9]+$/;

/** A request asks for a few scopes (a cross-repository mount, two); far more is no client's. */
export const MAX_SCOPES = 64;

/** `hostname := hostcomponent ['.' hostcomponent]* [':' port-number]`. */
function isHostname(text: string): boolean {
  const colon = text.indexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  if (colon >= 0 && !PORT.test(text.slice(colon + 1))) return false;
  return host.split('.').every((part) => HOST_COMPONENT.test(part));
}

/**
 * Splits a resource name into its registry host, if any, and its path. The
 * grammar lets a first part be either a hostname or a component; as in
 * Distribution's reference grammar, it is a hostname when it holds a `.` or
 * a `:`, is `localhost`, or is not a valid component (upper case).
 */
function splitName(name: string): { host?: string; path: string } | null {
  const parts = name.split('/');
  const [first, ...rest] = parts;
  const hostLike = rest.length > 0 && (/[.:]/.test(first) || first === 'localhost' || !COMPONENT.test(first));
  if (hostLike && !isHostname(first)) return null;
  const path = hostLike ? rest : parts;
  if (!isRepositoryPath(path)) return null;
  return hostLike ? { host: first, path: path.join('/') } : { path: path.join('/') };
}

/**
 * Parses one `resourcescope`. The name may hold one `:` (a host's port), so
 * the type ends at the first `:` and the actions start after the last.
 */
function parseResourceScope(text: string): ResourceScope {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  const problem = (why: string) => badInput(`scope "${text.slice(0, 300)}" is malformed: ${why} (expected type:name:action[,action], e.g. repository:alice/app:pull,push)`);
  if (first < 0 || first === last) throw problem('it needs a type, a name and actions separated by ":"');
  const type = RESOURCE_TYPE.exec(text.slice(0, first));
  if (!type) throw problem('the resource type is lowercase letters and digits, with an optional "(class)"');
  const name = text.slice(first + 1, last);
  const parts = name.length > NAME_LENGTH ? null : splitName(name);
  if (!parts) {
    throw problem(`the resource name is [host[:port]/]component[/component…] of lowercase letters, digits and separators, at most ${NAME_LENGTH} characters`);
  }
  const actions = text.slice(last + 1).split(',');
  if (!actions.every((action) => ACTION.test(action))) throw problem('actions are lowercase words or "*"');
  const repository = type[1] === 'repository' && !parts.host ? splitRepository(parts.path) : null;
  return { type: type[1], name, actions: [...new Set(actions.filter(Boolean))], repository };
}

/**
 * Every resource scope of a request: each `scope` parameter holds one or
 * more, separated by spaces. Scopes of the same resource are merged, so the
 * token has one entry per resource. An empty request is a token with no
 * access (what `docker login` asks for).
 */
export function parseScopes(parameters: readonly string[]): ResourceScope[] {
  const texts = parameters.flatMap((parameter) => parameter.split(' ')).filter(Boolean);
  if (texts.length > MAX_SCOPES) throw badInput(`a token request may ask for at most ${MAX_SCOPES} scopes, got ${texts.length}`);
  const byResource = new Map<string, ResourceScope>();
  for (const scope of texts.map(parseResourceScope)) {
    const key = `${scope.type}\0${scope.name}`;
    const known = byResource.get(key);
    if (known) known.actions = [...new Set([...known.actions, ...scope.actions])];
    else byResource.set(key, scope);
  }
  return [...byResource.values()];
}
