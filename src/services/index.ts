import type { Db } from '../db/client';
import { ManifestService } from './manifests';
import { RepositoryService } from './repositories';
import { TagService } from './tags';

/** The one layer that reads, writes and decides access; GraphQL and REST are adapters over it. */
export interface Services {
  db: Db;
  repositories: RepositoryService;
  tags: TagService;
  manifests: ManifestService;
}

export function createServices(db: Db): Services {
  const repositories = new RepositoryService(db);
  return { db, repositories, tags: new TagService(db, repositories), manifests: new ManifestService(db) };
}
