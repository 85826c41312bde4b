import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

/** One image: its platform, the files of its layers, and the command it runs. */
export interface ImageSpec {
  platform: Platform;
  /** One entry per layer, each a map of path to file content. */
  layers: Record<string, string>[];
  cmd: string[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
}

/** What was written for one image of the layout. */
export interface BuiltImage {
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
  /** The history the config records, oldest first: one step per layer, then the command. */
  history: { created: string; created_by: string; empty_layer?: boolean }[];
}

export interface BuiltIndex {
  index: Descriptor;
  images: BuiltImage[];
}

const created = '2026-01-02T03:04:05Z';

/**
 * Writes an OCI image layout (https://github.com/opencontainers/image-spec/blob/main/image-layout.md)
 * without Docker: gzip'd tar layers, a config with rootfs.diff_ids and history,
 * an image manifest per image and, for several images under one reference, an
 * image index with their platforms. `index.json` names each entry by its
 * reference, so skopeo can copy `oci:<dir>:<ref>`.
 */
export class OciLayout {
  private readonly entries: Descriptor[] = [];

  constructor(readonly dir: string) {}

  async addImage(ref: string, spec: ImageSpec): Promise<BuiltImage> {
    const image = await this.writeImage(spec);
    this.entries.push(named(image.manifest, ref));
    return image;
  }

  async addIndex(ref: string, specs: ImageSpec[]): Promise<BuiltIndex> {
    const images: BuiltImage[] = [];
    for (const spec of specs) images.push(await this.writeImage(spec));
    const index = await this.writeBlob(
      mediaTypes.ociIndex,
      json({
        schemaVersion: 2,
        mediaType: mediaTypes.ociIndex,
        manifests: images.map(({ manifest }) => manifest),
      }),
    );
    this.entries.push(named(index, ref));
    return { index, images };
  }

  /** Writes `oci-layout` and `index.json`; call after adding every image. */
  async finish(): Promise<void> {
    await writeFile(path.join(this.dir, 'oci-layout'), json({ imageLayoutVersion: '1.0.0' }));
    await writeFile(
      path.join(this.dir, 'index.json'),
      json({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: this.entries }),
    );
  }

  private async writeImage(spec: ImageSpec): Promise<BuiltImage> {
    const layers: Descriptor[] = [];
    const diffIds: string[] = [];
    for (const files of spec.layers) {
      const tarball = await tar(files);
      diffIds.push(digestOf(tarball));
      layers.push(await this.writeBlob(mediaTypes.ociLayer, gzipSync(tarball)));
    }
    const history = [
      ...spec.layers.map((files) => ({ created, created_by: `COPY ${Object.keys(files).join(' ')} /` })),
      { created, created_by: `CMD ${JSON.stringify(spec.cmd)}`, empty_layer: true },
    ];
    const config = await this.writeBlob(
      mediaTypes.ociConfig,
      json({
        created,
        architecture: spec.platform.architecture,
        os: spec.platform.os,
        ...(spec.platform.variant ? { variant: spec.platform.variant } : {}),
        config: { Cmd: spec.cmd, Env: ['PATH=/bin'] },
        rootfs: { type: 'layers', diff_ids: diffIds },
        history,
      }),
    );
    const manifest = await this.writeBlob(
      mediaTypes.ociManifest,
      json({ schemaVersion: 2, mediaType: mediaTypes.ociManifest, config, layers }),
    );
    return { manifest: { ...manifest, platform: spec.platform }, config, layers, history };
  }

  private async writeBlob(mediaType: string, content: Buffer): Promise<Descriptor> {
    const digest = digestOf(content);
    const dir = path.join(this.dir, 'blobs', 'sha256');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, digest.slice('sha256:'.length)), content);
    return { mediaType, digest, size: content.length };
  }
}

export const digestOf = (content: Buffer) => `sha256:${createHash('sha256').update(content).digest('hex')}`;

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const named = ({ mediaType, digest, size }: Descriptor, ref: string) => ({
  mediaType,
  digest,
  size,
  annotations: { 'org.opencontainers.image.ref.name': ref },
});

/** An uncompressed tar of the given files, with a fixed mtime so equal input gives equal bytes. */
async function tar(files: Record<string, string>): Promise<Buffer> {
  const archive = pack();
  for (const [name, content] of Object.entries(files)) {
    archive.entry({ name, mode: 0o644, mtime: new Date(created) }, content);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk);
  return Buffer.concat(chunks);
}
