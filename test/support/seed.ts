import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { manifests, namespaces, repositories, tags, type Descriptor, type HistoryEntry, type Platform } from '../../src/db/schema';

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** A stable sha256 digest derived from a seed string. */
export const fakeDigest = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;

export interface TagSpec {
  name: string;
  pushedAt?: Date;
  /** Layer sizes in bytes; the config is `configSize` bytes. */
  layers?: number[];
  configSize?: number;
  /** Makes the tag a multi-arch index over these platforms instead of an image manifest. */
  platforms?: Platform[];
  history?: HistoryEntry[];
  pullCount?: number;
  pushCount?: number;
}

export interface RepositorySpec {
  namespace: string;
  name: string;
  isPublic?: boolean;
  createdAt?: Date;
  pullCount?: number;
  pushCount?: number;
  tags?: TagSpec[];
}

export interface SeededTag {
  id: number;
  name: string;
  digest: string;
  mediaType: string;
  size: number;
  config: Descriptor | null;
  layers: Descriptor[];
  children: Descriptor[];
  pushedAt: Date;
  pullCount: number;
  pushCount: number;
}

export interface SeededRepository {
  id: number;
  namespace: string;
  name: string;
  fullName: string;
  isPublic: boolean;
  createdAt: Date;
  lastPushedAt: Date;
  pullCount: number;
  pushCount: number;
  /** In the order given. */
  tags: SeededTag[];
}

/**
 * Inserts repositories with their tags and manifests in four statements,
 * whatever their number. Namespaces that do not exist yet are created
 * without an owner; existing ones (an account's) are reused.
 */
export async function insertRepositories(db: Db, specs: RepositorySpec[]): Promise<SeededRepository[]> {
  if (specs.length === 0) return [];
  const names = [...new Set(specs.map((s) => s.namespace))];
  await db.insert(namespaces).values(names.map((name) => ({ name }))).onConflictDoNothing();
  const namespaceRows = await db.select({ id: namespaces.id, name: namespaces.name }).from(namespaces).where(inArray(namespaces.name, names));
  const namespaceId = new Map(namespaceRows.map((n) => [n.name, n.id]));

  const base = Date.parse('2024-01-01T00:00:00Z');
  const resolved = specs.map((spec, i) => {
    const createdAt = spec.createdAt ?? new Date(base + i * 60_000);
    const tagSpecs = (spec.tags ?? []).map((tag, j) => ({ ...tag, pushedAt: tag.pushedAt ?? new Date(createdAt.getTime() + (j + 1) * 1000) }));
    const lastPushedAt = new Date(Math.max(createdAt.getTime(), ...tagSpecs.map((t) => t.pushedAt.getTime())));
    return { spec, createdAt, tagSpecs, lastPushedAt };
  });

  const repositoryRows = await db
    .insert(repositories)
    .values(
      resolved.map(({ spec, createdAt, lastPushedAt }) => ({
        namespaceId: namespaceId.get(spec.namespace)!,
        name: spec.name,
        isPublic: spec.isPublic ?? true,
        pullCount: spec.pullCount ?? 0,
        pushCount: spec.pushCount ?? spec.tags?.length ?? 0,
        createdAt,
        updatedAt: lastPushedAt,
        lastPushedAt,
      })),
    )
    .returning();

  // RETURNING promises no order, so rows are matched back by their unique keys.
  const repositoryOf = new Map(repositoryRows.map((r) => [`${r.namespaceId}/${r.name}`, r]));
  const repositoryRowOf = (spec: RepositorySpec) => repositoryOf.get(`${namespaceId.get(spec.namespace)}/${spec.name}`)!;
  const tagged = resolved.flatMap(({ spec, tagSpecs }) => tagSpecs.map((tag) => ({ repositoryId: repositoryRowOf(spec).id, seed: `${spec.namespace}/${spec.name}:${tag.name}`, tag })));
  // Seeded manifests are as if read from the registry: their sizes are known.
  const manifestRows = tagged.length ? await db.insert(manifests).values(tagged.map((t) => ({ repositoryId: t.repositoryId, ...manifestOf(t.seed, t.tag), fetchedAt: new Date() }))).returning() : [];
  const manifestOfKey = new Map(manifestRows.map((m) => [`${m.repositoryId}/${m.digest}`, m]));
  const manifestById = new Map(manifestRows.map((m) => [m.id, m]));
  const tagRows = tagged.length
    ? await db
        .insert(tags)
        .values(
          tagged.map(({ repositoryId, seed, tag }) => ({
            repositoryId,
            name: tag.name,
            manifestId: manifestOfKey.get(`${repositoryId}/${fakeDigest(seed)}`)!.id,
            pushedAt: tag.pushedAt,
            createdAt: tag.pushedAt,
            updatedAt: tag.pushedAt,
          })),
        )
        .returning()
    : [];
  const tagOfKey = new Map(tagRows.map((t) => [`${t.repositoryId}/${t.name}`, t]));

  return resolved.map(({ spec, createdAt, lastPushedAt, tagSpecs }) => {
    const row = repositoryRowOf(spec);
    return {
      id: row.id,
      namespace: spec.namespace,
      name: spec.name,
      fullName: `${spec.namespace}/${spec.name}`,
      isPublic: row.isPublic,
      createdAt,
      lastPushedAt,
      pullCount: row.pullCount,
      pushCount: row.pushCount,
      tags: tagSpecs.map((tag) => {
        const t = tagOfKey.get(`${row.id}/${tag.name}`)!;
        const m = manifestById.get(t.manifestId)!;
        return {
          id: t.id,
          name: tag.name,
          digest: m.digest,
          mediaType: m.mediaType,
          size: m.size,
          config: m.config,
          layers: m.layers,
          children: m.children,
          pushedAt: tag.pushedAt,
          pullCount: m.pullCount,
          pushCount: m.pushCount,
        };
      }),
    };
  });
}

function manifestOf(seed: string, tag: TagSpec) {
  const common = { digest: fakeDigest(seed), pullCount: tag.pullCount ?? 0, pushCount: tag.pushCount ?? 1, createdAt: tag.pushedAt };
  if (tag.platforms) {
    const children: Descriptor[] = tag.platforms.map((platform) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: fakeDigest(`${seed}@${platform.os}/${platform.architecture}`),
      size: 1_000,
      platform,
    }));
    return { ...common, mediaType: OCI_INDEX, size: children.reduce((sum, c) => sum + c.size, 0), config: null, layers: [], children };
  }
  const layers: Descriptor[] = (tag.layers ?? [1_000_000, 2_000]).map((size, i) => ({ mediaType: DOCKER_LAYER, digest: fakeDigest(`${seed}#${i}`), size }));
  const config: Descriptor = { mediaType: DOCKER_CONFIG, digest: fakeDigest(`${seed}#config`), size: tag.configSize ?? 1_500 };
  return {
    ...common,
    mediaType: DOCKER_MANIFEST,
    size: config.size + layers.reduce((sum, l) => sum + l.size, 0),
    config,
    layers,
    children: [],
    architecture: 'amd64',
    os: 'linux',
    history: tag.history ?? layers.map((_, i) => ({ created: common.createdAt?.toISOString(), createdBy: `/bin/sh -c step ${i}`, emptyLayer: false })),
  };
}

export interface SeedOptions {
  repositories?: number;
  tagsPerRepository?: number;
  /** Fraction of the repositories that are public, spread evenly (1: all, 0: none). */
  publicShare?: number;
  /** Namespaces the repositories are spread over, round robin. */
  namespaces?: string[];
  /** Short names are `${prefix}-${index}`. */
  prefix?: string;
}

/** A bulk data set for list, pagination and statement-count tests: repository i is created i minutes after the first. */
export function seed(db: Db, options: SeedOptions = {}): Promise<SeededRepository[]> {
  const { repositories: n = 10, tagsPerRepository = 3, publicShare = 1, namespaces: spaces = ['library'], prefix = 'repo' } = options;
  const specs: RepositorySpec[] = Array.from({ length: n }, (_, i) => ({
    namespace: spaces[i % spaces.length],
    name: `${prefix}-${String(i).padStart(3, '0')}`,
    isPublic: Math.floor((i + 1) * publicShare) > Math.floor(i * publicShare),
    pullCount: i * 3,
    pushCount: tagsPerRepository,
    tags: Array.from({ length: tagsPerRepository }, (_, j) => ({ name: `v${j}`, layers: [1_000 * (i + 1), 10 * (j + 1)], pullCount: j })),
  }));
  return insertRepositories(db, specs);
}
