import { randomBytes } from 'node:crypto';
import { mayListCatalog, registryActions, REGISTRY_ACTIONS, type RepositoryStanding } from '../auth/access';
import type { Viewer } from '../auth/viewer';
import type { TokenSettings } from '../config';
import { badInput } from '../errors';
import type { RepositoryService } from '../services/repositories';
import { parseScopes, type ResourceScope } from './scope';
import type { AccessEntry } from './signer';
import type { SigningKeys } from './signing-keys';

export interface IssuedToken {
  token: string;
  /** Seconds from `issuedAt`. */
  expiresIn: number;
  issuedAt: Date;
  /** The subject the token names: the account, "" for anonymous. */
  subject: string;
  jti: string;
  /** What was asked, and what was granted, one entry per resource. */
  requested: ResourceScope[];
  access: AccessEntry[];
}

export interface TokenRequest {
  /** The registry the token is for; absent means this Berth's own. */
  service?: string;
  /** `scope` parameters as sent; each may hold several scopes. */
  scopes: readonly string[];
}

/** Berth's own subject in tokens it mints for itself; `@` keeps it apart from every account name. */
export const BERTH_SUBJECT = '@berth';

/**
 * A name Berth does not show (one part, three and more, or a registry host
 * before the path) has no namespace Berth governs: it is treated as a
 * private repository in a namespace nobody owns, so only admins reach it.
 */
const UNGOVERNED: RepositoryStanding = { namespaceOwnerId: null, isPublic: false };

/**
 * Distribution's token service: who asks (an account, or nobody), for which
 * registry and scopes, answered with a JWT granting the intersection of
 * what was asked and what `registryActions` allows, which is never an
 * error, even when empty, as the spec requires.
 */
export class RegistryTokens {
  constructor(
    private readonly repositories: RepositoryService,
    readonly keys: SigningKeys,
    readonly settings: TokenSettings,
  ) {}

  async issue(viewer: Viewer | null, request: TokenRequest): Promise<IssuedToken> {
    if (request.service !== undefined && request.service !== this.settings.service) {
      throw badInput(`unknown service "${request.service.slice(0, 200)}": this Berth issues tokens for "${this.settings.service}"`);
    }
    const requested = parseScopes(request.scopes);
    const standings = await this.repositories.standings(requested.flatMap((scope) => (scope.repository ? [scope.repository] : [])));
    const access = requested.map((scope) => {
      const { repository } = scope;
      const standing = repository ? standings.get(`${repository.namespace}/${repository.name}`)! : UNGOVERNED;
      return { type: scope.type, name: scope.name, actions: granted(viewer, scope, standing) };
    });
    return this.mint(viewer?.name ?? '', requested, access);
  }

  /** A token for Berth's own calls to a registry that trusts it (manifests, deletes, the catalog): whatever it asks. */
  async forBerth(scope: string): Promise<IssuedToken> {
    const requested = parseScopes([scope]);
    return this.mint(BERTH_SUBJECT, requested, requested.map(({ type, name, actions }) => ({ type, name, actions })));
  }

  private async mint(subject: string, requested: ResourceScope[], access: AccessEntry[]): Promise<IssuedToken> {
    const signer = await this.keys.signer();
    const issuedAt = new Date();
    const now = Math.floor(issuedAt.getTime() / 1000);
    const jti = randomBytes(16).toString('base64url');
    const token = signer.sign({
      iss: this.settings.issuer,
      sub: subject,
      aud: this.settings.service,
      exp: now + this.settings.ttlSeconds,
      // Not back-dated: the registry allows 60 s of clock skew either way.
      nbf: now,
      iat: now,
      jti,
      access,
    });
    return { token, expiresIn: this.settings.ttlSeconds, issuedAt, subject, jti, requested, access };
  }
}

/**
 * The actions of `scope` the caller gets: `*` asks for every action the
 * caller has. `standing` is the repository's, for a repository scope (the
 * name without the host it may name).
 */
function granted(viewer: Viewer | null, scope: ResourceScope, standing: RepositoryStanding): string[] {
  if (scope.type === 'registry') return scope.name === 'catalog' && mayListCatalog(viewer) ? scope.actions.filter((action) => action === '*') : [];
  if (scope.type !== 'repository') return [];
  const allowed = registryActions(viewer, standing);
  const wanted = scope.actions.includes('*') ? REGISTRY_ACTIONS : scope.actions;
  return allowed.filter((action) => wanted.includes(action));
}
