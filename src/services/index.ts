import { SignInThrottle } from '../auth/throttle';
import { DEFAULT_SIGN_IN_LIMIT, type SignInLimit } from '../config';
import type { Db } from '../db/client';
import type { RegistryClient } from '../registry/client';
import { AccountService } from './accounts';
import { EventService } from '../ingest/events';
import { ManifestFetcher } from '../ingest/manifest-fetch';
import { SyncService } from '../ingest/sync';
import { ManifestService } from './manifests';
import { NamespaceService } from './namespaces';
import { RepositoryService } from './repositories';
import { TagRemoval } from './tag-removal';
import { TagService } from './tags';
import { TokenService } from './tokens';

/** The one layer that reads, writes and decides access; GraphQL and REST are adapters over it. */
export interface Services {
  repositories: RepositoryService;
  tags: TagService;
  tagRemoval: TagRemoval;
  manifests: ManifestService;
  accounts: AccountService;
  namespaces: NamespaceService;
  tokens: TokenService;
  /** The upstream registry, when REGISTRY_URL is configured. */
  registry: RegistryClient | null;
  events: EventService;
  manifestFetcher: ManifestFetcher;
  sync: SyncService;
}

export function createServices(db: Db, signInLimit: SignInLimit = DEFAULT_SIGN_IN_LIMIT, registry: RegistryClient | null = null): Services {
  const repositories = new RepositoryService(db);
  return {
    repositories,
    tags: new TagService(db),
    tagRemoval: new TagRemoval(db, repositories, registry),
    manifests: new ManifestService(db),
    accounts: new AccountService(db, new SignInThrottle(db, signInLimit)),
    namespaces: new NamespaceService(db),
    tokens: new TokenService(db),
    registry,
    events: new EventService(db),
    manifestFetcher: new ManifestFetcher(db, registry),
    sync: new SyncService(db, registry),
  };
}
