import { createHash } from 'node:crypto';
import { count } from 'drizzle-orm';
import type { Db } from './db/client';
import { manifests, namespaces, repositories, tags, type Descriptor, type HistoryEntry } from './db/schema';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** A stable fake sha256 digest, so the demo looks the same on every machine. */
const digest = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;

interface DemoImage {
  tag: string;
  mediaType: string;
  layers: number[];
  commands: string[];
  pulls: number;
  /** Pushes of this digest (default 1). */
  pushes?: number;
  pushedAt: string;
}

interface DemoRepository {
  namespace: string;
  name: string;
  isPublic: boolean;
  createdAt: string;
  images: DemoImage[];
}

/** Modelled on the examples of the legacy API document: /repositories/public and admin/nginx's tag list answer as it shows. */
const DEMO: DemoRepository[] = [
  {
    namespace: 'library',
    name: 'registry',
    isPublic: true,
    createdAt: '2016-08-03T07:58:53Z',
    images: [
      { tag: 'v1', mediaType: DOCKER_MANIFEST, layers: [51_200_000, 2_800], commands: ['ADD rootfs.tar.gz /', 'COPY registry /bin/registry'], pulls: 9, pushes: 2, pushedAt: '2016-08-03T07:58:53Z' },
      { tag: 'v2', mediaType: DOCKER_MANIFEST, layers: [51_200_000, 3_100], commands: ['ADD rootfs.tar.gz /', 'COPY registry /bin/registry'], pulls: 8, pushedAt: '2016-08-03T08:10:12Z' },
      { tag: 'v3', mediaType: OCI_MANIFEST, layers: [51_200_000, 3_300, 1_200], commands: ['ADD rootfs.tar.gz /', 'COPY registry /bin/registry', 'COPY config.yml /etc/docker/registry/config.yml'], pulls: 11, pushes: 3, pushedAt: '2016-08-03T08:23:40Z' },
    ],
  },
  {
    namespace: 'admin',
    name: 'nginx',
    isPublic: true,
    createdAt: '2016-08-03T08:55:01Z',
    images: [{ tag: 'latest', mediaType: DOCKER_MANIFEST, layers: [27_100_000, 24_000_000, 4_128_382], commands: ['ADD rootfs.tar.gz /', 'RUN apt-get install -y nginx', 'COPY nginx.conf /etc/nginx/nginx.conf'], pulls: 1, pushedAt: '2016-08-03T08:55:01Z' }],
  },
  {
    namespace: 'admin',
    name: 'secrets',
    isPublic: false,
    createdAt: '2016-08-04T10:00:00Z',
    images: [{ tag: '1.0', mediaType: OCI_MANIFEST, layers: [3_400_000], commands: ['ADD rootfs.tar.gz /'], pulls: 2, pushedAt: '2016-08-04T10:00:00Z' }],
  },
];

/** Loads the demo data set, unless the database already holds repositories. Returns whether it did. */
export async function loadDemo(db: Db): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: count() }).from(repositories);
    if (n > 0) return false;
    for (const demo of DEMO) {
      const [namespace] = await tx
        .insert(namespaces)
        .values({ name: demo.namespace })
        .onConflictDoUpdate({ target: namespaces.name, set: { name: demo.namespace } })
        .returning();
      const createdAt = new Date(demo.createdAt);
      const last = demo.images[demo.images.length - 1];
      const [repository] = await tx
        .insert(repositories)
        .values({
          namespaceId: namespace.id,
          name: demo.name,
          isPublic: demo.isPublic,
          pullCount: demo.images.reduce((sum, i) => sum + i.pulls, 0),
          pushCount: demo.images.reduce((sum, i) => sum + (i.pushes ?? 1), 0),
          createdAt,
          updatedAt: new Date(last.pushedAt),
          lastPushedAt: new Date(last.pushedAt),
        })
        .returning();
      for (const image of demo.images) {
        const seed = `${demo.namespace}/${demo.name}:${image.tag}`;
        const layers: Descriptor[] = image.layers.map((size, i) => ({ mediaType: `${image.mediaType.includes('oci') ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip'}`, digest: digest(`${seed}#${i}`), size }));
        const config: Descriptor = { mediaType: image.mediaType.includes('oci') ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', digest: digest(`${seed}#config`), size: 1_480 };
        const history: HistoryEntry[] = image.commands.map((command, i) => ({ created: image.pushedAt, createdBy: `/bin/sh -c ${command}`, emptyLayer: false, comment: i === 0 ? 'base' : undefined }));
        history.push({ created: image.pushedAt, createdBy: '/bin/sh -c #(nop) CMD ["/bin/sh"]', emptyLayer: true });
        const pushedAt = new Date(image.pushedAt);
        const [manifest] = await tx
          .insert(manifests)
          .values({
            repositoryId: repository.id,
            digest: digest(seed),
            mediaType: image.mediaType,
            size: config.size + layers.reduce((sum, l) => sum + l.size, 0),
            config,
            layers,
            architecture: 'amd64',
            os: 'linux',
            history,
            pullCount: image.pulls,
            pushCount: image.pushes ?? 1,
            createdAt: pushedAt,
          })
          .returning();
        await tx.insert(tags).values({ repositoryId: repository.id, name: image.tag, manifestId: manifest.id, createdAt: pushedAt, updatedAt: pushedAt, pushedAt });
      }
    }
    return true;
  });
}
