import { digestOf, mediaTypes, type Platform } from './image';
import type { Registry } from './registry';

export interface DescriptorView {
  digest: string;
  mediaType: string;
  size: number;
}

/** A manifest as Berth's GraphQL `Manifest` type shows it, derived here from the registry's stored bytes. */
export interface ManifestView {
  digest: string;
  mediaType: string;
  /** Config plus layers; for an index, the sum over its children. */
  size: number;
  architecture: string | null;
  os: string | null;
  config: DescriptorView | null;
  layers: DescriptorView[];
  children: (DescriptorView & { platform: { architecture: string; os: string; variant: string | null } })[];
  history: { createdBy: string | null; emptyLayer: boolean }[];
}

const isIndex = (mediaType: string) => mediaType === mediaTypes.ociIndex || mediaType === mediaTypes.dockerList;

/**
 * What Berth should show for the manifest with this digest, computed from the
 * bytes the registry stored (so the expectation comes from the registry, not
 * from Berth, and reading it sends no event).
 */
export async function storedManifest(registry: Pick<Registry, 'readBlob'>, digest: string): Promise<ManifestView> {
  const bytes = await registry.readBlob(digest);
  if (digestOf(bytes) !== digest) throw new Error(`the registry stored ${digest} with other content`);
  const manifest = JSON.parse(bytes.toString('utf8'));
  if (isIndex(manifest.mediaType)) {
    const children = await Promise.all(
      manifest.manifests.map(async (child: DescriptorView & { platform: Platform }) => ({
        view: await storedManifest(registry, child.digest),
        descriptor: {
          digest: child.digest,
          mediaType: child.mediaType,
          size: child.size,
          platform: { architecture: child.platform.architecture, os: child.platform.os, variant: child.platform.variant ?? null },
        },
      })),
    );
    return {
      digest,
      mediaType: manifest.mediaType,
      size: children.reduce((sum, { view }) => sum + view.size, 0),
      architecture: null,
      os: null,
      config: null,
      layers: [],
      children: children.map(({ descriptor }) => descriptor),
      history: [],
    };
  }
  const config = JSON.parse((await registry.readBlob(manifest.config.digest)).toString('utf8'));
  const descriptor = ({ digest, mediaType, size }: DescriptorView) => ({ digest, mediaType, size });
  const layers: DescriptorView[] = manifest.layers.map(descriptor);
  return {
    digest,
    mediaType: manifest.mediaType,
    size: manifest.config.size + layers.reduce((sum, layer) => sum + layer.size, 0),
    architecture: config.architecture,
    os: config.os,
    config: descriptor(manifest.config),
    layers,
    children: [],
    history: config.history.map((step: { created_by?: string; empty_layer?: boolean }) => ({
      createdBy: step.created_by ?? null,
      emptyLayer: step.empty_layer ?? false,
    })),
  };
}
