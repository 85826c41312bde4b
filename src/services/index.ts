import { SignInThrottle } from '../auth/throttle';
import { DEFAULT_SIGN_IN_LIMIT, type SignInLimit } from '../config';
import type { Db } from '../db/client';
import { AccountService } from './accounts';
import { ManifestService } from './manifests';
import { NamespaceService } from './namespaces';
import { RepositoryService } from './repositories';
import { TagService } from './tags';
import { TokenService } from './tokens';

/** The one layer that reads, writes and decides access; GraphQL and REST are adapters over it. */
export interface Services {
  db: Db;
  repositories: RepositoryService;
  tags: TagService;
  manifests: ManifestService;
  accounts: AccountService;
  namespaces: NamespaceService;
  tokens: TokenService;
  signInThrottle: SignInThrottle;
}

export function createServices(db: Db, signInLimit: SignInLimit = DEFAULT_SIGN_IN_LIMIT): Services {
  const repositories = new RepositoryService(db);
  const signInThrottle = new SignInThrottle(db, signInLimit);
  return {
    db,
    repositories,
    tags: new TagService(db, repositories),
    manifests: new ManifestService(db),
    accounts: new AccountService(db, signInThrottle),
    namespaces: new NamespaceService(db),
    tokens: new TokenService(db),
    signInThrottle,
  };
}
