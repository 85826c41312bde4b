import DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer';
import type { Services } from '../services';
import { referenceKey, type Manifest, type ManifestReference } from '../services/manifests';
import type { Page, PageArgs } from '../services/pagination';
import type { RepositoryRecord, VisibleManifestId, VisibleRepositoryId } from '../services/repositories';
import { tagKey, type TagKey, type TagOrder, type TagRecord } from '../services/tags';

/**
 * Per-request batch loaders: each turns the lookups of one execution tick
 * into one SQL statement. Built with the request context, so nothing cached
 * for one caller is ever seen by another.
 */
export function createLoaders(services: Services, viewer: Viewer | null) {
  const tagPages = new Map<string, DataLoader<VisibleRepositoryId, Page<TagRecord>>>();
  return {
    repository: new DataLoader<number, RepositoryRecord | null>(async (ids) => {
      const rows = await services.repositories.byIds(viewer, ids);
      const byId = new Map<number, RepositoryRecord>(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    manifest: new DataLoader<VisibleManifestId, Manifest | null>((ids) => services.manifests.byIds(ids)),
    manifestByReference: new DataLoader<ManifestReference, Manifest | null, string>((references) => services.manifests.byReferences(references), {
      cacheKeyFn: referenceKey,
    }),
    tagByName: new DataLoader<TagKey, TagRecord | null, string>((keys) => services.tags.byNames(keys), { cacheKeyFn: tagKey }),
    tagCount: new DataLoader<VisibleRepositoryId, number>((ids) => services.tags.countsByRepository(ids)),
    latestTag: new DataLoader<VisibleRepositoryId, TagRecord | null>((ids) => services.tags.latestByRepository(ids)),
    /** One loader per distinct page shape, so sibling repositories asking the same page share a batch. */
    tagPage(order: TagOrder, page: PageArgs): DataLoader<VisibleRepositoryId, Page<TagRecord>> {
      const key = JSON.stringify([order, page]);
      let loader = tagPages.get(key);
      if (!loader) {
        loader = new DataLoader((ids) => services.tags.pagesByRepository(ids, order, page));
        tagPages.set(key, loader);
      }
      return loader;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
