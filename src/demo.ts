import { createHash } from 'node:crypto';
import { count, sql } from 'drizzle-orm';
import type { Db } from './db/client';
import { manifests, namespaces, repositories, tags, type Descriptor, type HistoryEntry } from './db/schema';
import { imageSize } from './registry/image';
import { DOCKER_CONFIG, DOCKER_LAYER, DOCKER_MANIFEST, OCI_CONFIG, OCI_LAYER, OCI_MANIFEST } from './registry/media-types';

/** A stable fake sha256 digest, so the demo looks the same on every machine. */
const digest = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;

/** The config and layer types of each manifest type the demo uses. */
const PARTS = {
  [OCI_MANIFEST]: { config: OCI_CONFIG, layer: OCI_LAYER },
  [DOCKER_MANIFEST]: { config: DOCKER_CONFIG, layer: DOCKER_LAYER },
};

/** A build step, as `/bin/sh -c` ran it, and the size of the layer it added (none for a step that added no layer). */
type Step = [command: string, layerSize?: number];

interface DemoImage {
  tag: string;
  mediaType: keyof typeof PARTS;
  /** Oldest first. */
  steps: Step[];
  pulls: number;
  /** Pushes of this digest (default 1). */
  pushes?: number;
  /** When the tag first appeared, when that was before its last push. */
  createdAt?: string;
  pushedAt: string;
}

interface DemoRepository {
  namespace: string;
  name: string;
  isPublic: boolean;
  createdAt: string;
  /** The last one pushed last: it dates the repository. */
  images: DemoImage[];
}

const REGISTRY_BASE: Step[] = [['ADD rootfs.tar.gz /', 51_200_000]];
const NGINX: Step[] = [['ADD rootfs.tar.gz /', 27_100_000], ['RUN apt-get install -y nginx', 24_000_000], ['COPY nginx.conf /etc/nginx/nginx.conf', 4_128_382], ['#(nop) CMD ["nginx", "-g", "daemon off;"]']];

/**
 * Modelled on the examples of the legacy API document, so that each of its
 * curl lines answers as it shows: /repositories/public lists admin/nginx and
 * library/registry first with the document's counts, library/nginx's tag
 * list has the document's sample tag, library/registry:latest is built from
 * the steps of the document's manifest, and library/registry:latest and
 * library/nginx are there to be deleted and made public.
 */
const DEMO: DemoRepository[] = [
  {
    namespace: 'library',
    name: 'registry',
    isPublic: true,
    createdAt: '2016-08-03T07:58:53Z',
    images: [
      {
        tag: 'latest',
        mediaType: DOCKER_MANIFEST,
        steps: [
          ['#(nop) ADD file:b5391cb13172fb513dbfca0b8471ea02bffa913ffdab94ad864d892d129318c6 in /', 51_200_000],
          ['#(nop) CMD ["/bin/bash"]'],
          ['apt-get update && apt-get install -y ca-certificates librados2 apache2-utils && rm -rf /var/lib/apt/lists/*', 12_600_000],
          ['#(nop) COPY file:d3039fc8b4d309b2765b2a0a1eb4f49eb161d7fcfaee1c2e8482afa0b0425f83 in /bin/registry', 8_900_000],
          ['#(nop) COPY file:a478f74440f88ea974a27f7286adb23d0c9b5881c487a0eea2dc551c2320a7c1 in /etc/docker/registry/config.yml', 370],
          ['#(nop) VOLUME [/var/lib/registry]'],
          ['#(nop) EXPOSE 5000/tcp'],
          ['#(nop) ENTRYPOINT ["/bin/registry"]'],
          ['#(nop) CMD ["/etc/docker/registry/config.yml"]'],
          ['cp /usr/share/zoneinfo/Asia/Shanghai /etc/localtime', 1_200],
        ],
        pulls: 1,
        pushedAt: '2016-08-03T07:58:53Z',
      },
      { tag: 'v1', mediaType: DOCKER_MANIFEST, steps: [...REGISTRY_BASE, ['COPY registry /bin/registry', 2_800], ['#(nop) CMD ["/bin/sh"]']], pulls: 8, pushedAt: '2016-08-03T08:01:07Z' },
      { tag: 'v2', mediaType: DOCKER_MANIFEST, steps: [...REGISTRY_BASE, ['COPY registry /bin/registry', 3_100], ['#(nop) CMD ["/bin/sh"]']], pulls: 8, pushedAt: '2016-08-03T08:10:12Z' },
      {
        tag: 'v3',
        mediaType: OCI_MANIFEST,
        steps: [...REGISTRY_BASE, ['COPY registry /bin/registry', 3_300], ['COPY config.yml /etc/docker/registry/config.yml', 1_200], ['#(nop) CMD ["/bin/sh"]']],
        pulls: 11,
        pushes: 3,
        pushedAt: '2016-08-03T08:23:40Z',
      },
    ],
  },
  {
    namespace: 'library',
    name: 'nginx',
    isPublic: true,
    createdAt: '2016-08-02T08:51:35Z',
    images: [{ tag: 'latest', mediaType: DOCKER_MANIFEST, steps: NGINX, pulls: 1, createdAt: '2016-08-02T08:51:35Z', pushedAt: '2016-08-02T08:59:41Z' }],
  },
  {
    namespace: 'admin',
    name: 'nginx',
    isPublic: true,
    createdAt: '2016-08-03T08:55:01Z',
    images: [{ tag: 'latest', mediaType: DOCKER_MANIFEST, steps: NGINX, pulls: 1, pushedAt: '2016-08-03T08:55:01Z' }],
  },
  {
    namespace: 'admin',
    name: 'secrets',
    isPublic: false,
    createdAt: '2016-08-04T10:00:00Z',
    images: [{ tag: '1.0', mediaType: OCI_MANIFEST, steps: [['ADD rootfs.tar.gz /', 3_400_000], ['#(nop) CMD ["/bin/sh"]']], pulls: 2, pushedAt: '2016-08-04T10:00:00Z' }],
  },
];

/** The manifest columns of a demo image: its config and layers, its size and its history. */
function manifestOf(seed: string, image: DemoImage) {
  const parts = PARTS[image.mediaType];
  const layerSizes = image.steps.flatMap(([, size]) => (size === undefined ? [] : [size]));
  const layers: Descriptor[] = layerSizes.map((size, i) => ({ mediaType: parts.layer, digest: digest(`${seed}#${i}`), size }));
  const config: Descriptor = { mediaType: parts.config, digest: digest(`${seed}#config`), size: 1_480 };
  const history: HistoryEntry[] = image.steps.map(([command, size], i) => ({
    created: image.pushedAt,
    createdBy: `/bin/sh -c ${command}`,
    emptyLayer: size === undefined,
    comment: i === 0 ? 'base' : undefined,
  }));
  return { digest: digest(seed), mediaType: image.mediaType, size: imageSize({ config, layers }), config, layers, history };
}

/** Loads the demo data set, unless the database already holds repositories. Returns whether it did. */
/** An arbitrary constant naming the demo's load among advisory locks. */
const DEMO_LOCK_KEY = 0x64656d6f;

export async function loadDemo(db: Db): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Two processes starting at once on an empty database: the second waits here, then finds the demo loaded.
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK_KEY})`);
    const [{ n }] = await tx.select({ n: count() }).from(repositories);
    if (n > 0) return false;
    for (const demo of DEMO) {
      const [namespace] = await tx
        .insert(namespaces)
        .values({ name: demo.namespace })
        .onConflictDoUpdate({ target: namespaces.name, set: { name: demo.namespace } })
        .returning();
      const last = new Date(demo.images[demo.images.length - 1].pushedAt);
      const [repository] = await tx
        .insert(repositories)
        .values({
          namespaceId: namespace.id,
          name: demo.name,
          isPublic: demo.isPublic,
          pullCount: demo.images.reduce((sum, i) => sum + i.pulls, 0),
          pushCount: demo.images.reduce((sum, i) => sum + (i.pushes ?? 1), 0),
          createdAt: new Date(demo.createdAt),
          updatedAt: last,
          lastPushedAt: last,
        })
        .returning();
      for (const image of demo.images) {
        const pushedAt = new Date(image.pushedAt);
        const [manifest] = await tx
          .insert(manifests)
          .values({
            repositoryId: repository.id,
            ...manifestOf(`${demo.namespace}/${demo.name}:${image.tag}`, image),
            architecture: 'amd64',
            os: 'linux',
            pullCount: image.pulls,
            pushCount: image.pushes ?? 1,
            createdAt: pushedAt,
          })
          .returning();
        await tx.insert(tags).values({
          repositoryId: repository.id,
          name: image.tag,
          manifestId: manifest.id,
          createdAt: new Date(image.createdAt ?? image.pushedAt),
          updatedAt: pushedAt,
          pushedAt,
        });
      }
    }
    return true;
  });
}
