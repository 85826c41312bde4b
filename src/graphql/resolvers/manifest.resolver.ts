import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { Manifest as ManifestRow } from '../../db/schema';
import { Manifest, Platform } from '../types/manifest.type';

@Resolver(() => Manifest)
export class ManifestResolver {
  @FieldResolver(() => [Platform], { description: 'For a multi-arch index: the platforms of its child manifests; empty for an image.' })
  platforms(@Root() manifest: ManifestRow): Platform[] {
    return manifest.children.flatMap((child) => (child.platform ? [child.platform] : []));
  }
}
