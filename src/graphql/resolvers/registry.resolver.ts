import { Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Manifest as ManifestRow } from '../../db/schema';
import type { Context } from '../context';
import { Manifest, Platform } from '../types/manifest.type';
import { SyncResult } from '../types/sync.type';

@Resolver()
export class RegistryResolver {
  @Mutation(() => SyncResult, {
    description:
      "Reconciles Berth with the registry (catalog, tags, manifests): adds what is missing, removes what the registry no longer has, keeps counters. Admin only; UPSTREAM_FAILURE when the registry fails or none is configured.",
  })
  syncRegistry(@Ctx() ctx: Context) {
    return ctx.services.sync.runAs(ctx.viewer);
  }
}

@Resolver(() => Manifest)
export class ManifestResolver {
  @FieldResolver(() => [Platform], { description: 'For a multi-arch index: the platforms of its child manifests; empty for an image.' })
  platforms(@Root() manifest: ManifestRow): Platform[] {
    return manifest.children.flatMap((child) => (child.platform ? [child.platform] : []));
  }
}
