import { SignInThrottle } from '../auth/throttle';
import { DEFAULT_SIGN_IN_LIMIT, DEFAULT_TOKEN_SETTINGS, type Config } from '../config';
import type { Db } from '../db/client';
import { registryClient } from '../registry';
import type { RegistryClient } from '../registry/client';
import { RegistryTokens } from '../registry-token/issuer';
import { SigningKeys } from '../registry-token/signing-keys';
import { AccountService } from './accounts';
import { EventService } from '../ingest/events';
import { ManifestFetcher } from '../ingest/manifest-fetch';
import { SyncService } from '../ingest/sync';
import { WebhookSecrets } from '../ingest/webhook-secrets';
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
  /** Berth as the registry's token service. */
  registryTokens: RegistryTokens;
  /** The upstream registry, when REGISTRY_URL is configured. */
  registry: RegistryClient | null;
  events: EventService;
  /** The secrets the registry's webhook deliveries must carry. */
  webhookSecrets: WebhookSecrets;
  manifestFetcher: ManifestFetcher;
  sync: SyncService;
}

/** The settings services read; each has a default, so tests and tools can leave them out. */
export type ServiceSettings = Partial<Pick<Config, 'signIn' | 'registry' | 'token' | 'webhookSecret'>>;

export function createServices(
  db: Db,
  { signIn = DEFAULT_SIGN_IN_LIMIT, registry: registrySettings, token = DEFAULT_TOKEN_SETTINGS, webhookSecret }: ServiceSettings = {},
): Services {
  const repositories = new RepositoryService(db);
  const registryTokens = new RegistryTokens(repositories, new SigningKeys(db, token), token);
  const registry = registrySettings ? registryClient(registrySettings, registryTokens) : null;
  return {
    repositories,
    tags: new TagService(db),
    tagRemoval: new TagRemoval(db, repositories, registry),
    manifests: new ManifestService(db),
    accounts: new AccountService(db, new SignInThrottle(db, signIn)),
    namespaces: new NamespaceService(db),
    tokens: new TokenService(db),
    registryTokens,
    registry,
    events: new EventService(db),
    webhookSecrets: new WebhookSecrets(db, webhookSecret),
    manifestFetcher: new ManifestFetcher(db, registry),
    sync: new SyncService(db, registry),
  };
}
