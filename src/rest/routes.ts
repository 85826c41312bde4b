import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { identifyCallers, SIGNED_IN } from '../caller';
import type { Executor } from '../graphql/executor';
import { badInput } from '../errors';
import { MAX_PAGE_SIZE } from '../services/pagination';
import type { Services } from '../services';
import { legacyErrors, ok } from './legacy-envelope';
import {
  LegacyDeleteRepositoryDocument,
  LegacyDeleteTagDocument,
  LegacyManifestDocument,
  LegacyRepositoriesDocument,
  LegacySetPublicityDocument,
  LegacyTagsDocument,
  type LegacyRepositoriesQuery,
  type LegacyTagsQuery,
} from './generated';
import { refuseCrossSiteWrites } from './cross-site';
import { operationRunner } from './execute';
import { namespaceRoutes } from './namespace.routes';
import { toSchema1 } from './schema1';

interface Options {
  executor: Executor;
  services: Services;
  /** Configured CORS origins, which may also write. */
  allowedOrigins?: readonly string[];
}

type Params = Record<string, string>;

/** Legacy times were RFC 3339 in UTC with whole seconds: 2016-08-02T08:51:35Z. */
const legacyTime = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');
const legacyPublicity = (publicity: string) => (publicity === 'PUBLIC' ? 1 : 0);

type LegacyRepository = LegacyRepositoriesQuery['repositories']['nodes'][number];
type LegacyTag = NonNullable<LegacyTagsQuery['repository']>['tags']['nodes'][number];

const toLegacyRepository = (r: LegacyRepository) => ({
  CreatedAt: legacyTime(r.createdAt),
  DeletedAt: null,
  ID: r.id,
  Image: r.name,
  LatestTag: r.latestTag?.name ?? '',
  Namespace: r.namespace.name,
  Publicity: legacyPublicity(r.publicity),
  PullCount: r.pullCount,
  PushCount: r.pushCount,
  UpdatedAt: legacyTime(r.updatedAt),
});

const toLegacyTag = (repository: NonNullable<LegacyTagsQuery['repository']>) => (t: LegacyTag) => ({
  CreatedAt: legacyTime(t.createdAt),
  DeletedAt: null,
  Digest: t.digest,
  ID: t.id,
  Image: repository.name,
  Namespace: repository.namespace.name,
  Publicity: legacyPublicity(repository.publicity),
  // The legacy field is a number: 0 until the size is known, as the old server answered.
  Size: t.size ?? 0,
  Tag: t.name,
  PullCount: t.pullCount,
  PushCount: t.pushCount,
  UpdatedAt: legacyTime(t.updatedAt),
});

/**
 * The legacy /registry/v1 routes. Each one runs a GraphQL operation against
 * the same schema as /graphql, so the two APIs cannot disagree, then reshapes
 * the result into the legacy envelope and PascalCase fields.
 */
export const legacyRoutes: FastifyPluginAsync<Options> = async (app, { executor, services, allowedOrigins = [] }) => {
  const run = operationRunner(executor, services);
  app.addHook('onRequest', refuseCrossSiteWrites(allowedOrigins));
  identifyCallers(app, services.accounts);

  /** Legacy lists were never paged, so walk every page of the connection. */
  async function everyPage<T>(fetch: (after: string | null) => Promise<{ nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>) {
    const all: T[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await fetch(after);
      all.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return all;
      after = page.pageInfo.endCursor;
    }
  }

  const keywordsOf = (request: FastifyRequest) => {
    const { keywords } = request.query as { keywords?: unknown };
    if (keywords !== undefined && typeof keywords !== 'string') throw badInput('keywords must be given once');
    return keywords || null;
  };

  const listRepositories = (scope: 'PUBLIC' | 'MINE') => async (request: FastifyRequest) => {
    const keywords = keywordsOf(request);
    const nodes = await everyPage(async (after) => {
      const data = await run(request, LegacyRepositoriesDocument, { scope, keywords, first: MAX_PAGE_SIZE, after });
      return data.repositories;
    });
    return ok(nodes.map(toLegacyRepository));
  };

  app.get('/repositories/public', listRepositories('PUBLIC'));
  app.get('/repositories/mine', listRepositories('MINE'));

  const listTags = async (request: FastifyRequest, namespace: string, name: string) => {
    let repository: NonNullable<LegacyTagsQuery['repository']> | null = null;
    const nodes = await everyPage(async (after) => {
      const data = await run(request, LegacyTagsDocument, { namespace, name, first: MAX_PAGE_SIZE, after });
      repository = data.repository!;
      return repository.tags;
    });
    return ok(nodes.map(toLegacyTag(repository!)));
  };
  app.get('/tag/list/:namespace/:image', (request) => {
    const { namespace, image } = request.params as Params;
    return listTags(request, namespace, image);
  });
  // Legacy callers also send namespace/image as one URL-encoded segment.
  app.get('/tag/list/:repository', (request) => {
    const [namespace, image, ...rest] = (request.params as Params).repository.split('/');
    if (!image || rest.length > 0) throw badInput('a repository is named namespace/image');
    return listTags(request, namespace, image);
  });

  app.get('/manifests/:reference/:namespace/:image', async (request) => {
    const { reference, namespace, image } = request.params as Params;
    let { manifest } = (await run(request, LegacyManifestDocument, { namespace, name: image, reference })).repository!;
    // Schema 1 has no multi-arch form: show the linux/amd64 image of an index, as the registry's own converter does.
    const child = manifest.children.find((c) => c.platform?.os === 'linux' && c.platform.architecture === 'amd64') ?? manifest.children[0];
    if (child) ({ manifest } = (await run(request, LegacyManifestDocument, { namespace, name: image, reference: child.digest })).repository!);
    return ok(toSchema1({ ...manifest, name: `${namespace}/${image}`, tag: reference }));
  });

  app.delete('/manifests/:reference/:namespace/:image', SIGNED_IN, async (request) => {
    const { reference, namespace, image } = request.params as Params;
    // Legacy callers cannot say they mean every tag of the digest, so a shared digest answers 409.
    await run(request, LegacyDeleteTagDocument, { input: { namespace, repository: image, tag: reference, removeAllTagsOfDigest: false } });
    return ok('success');
  });

  // The later form: one tag with ?tag=, every tag (so the repository) without it.
  app.delete('/manifests/:namespace/:image', SIGNED_IN, async (request) => {
    const { namespace, image } = request.params as Params;
    const { tag } = request.query as { tag?: unknown };
    if (tag !== undefined && (typeof tag !== 'string' || tag === '')) throw badInput('tag must be one non-empty tag name');
    if (tag) await run(request, LegacyDeleteTagDocument, { input: { namespace, repository: image, tag, removeAllTagsOfDigest: false } });
    else await run(request, LegacyDeleteRepositoryDocument, { input: { namespace, repository: image } });
    return ok('success');
  });

  app.patch('/:namespace/:image/publicity', SIGNED_IN, async (request) => {
    const { namespace, image } = request.params as Params;
    const body = request.body as { Publicity?: unknown } | null;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badInput('body must be a JSON object like {"Publicity": 1}');
    if (body.Publicity !== 0 && body.Publicity !== 1) throw badInput('Publicity must be 0 (private) or 1 (public)');
    const publicity = body.Publicity === 1 ? 'PUBLIC' : 'PRIVATE';
    await run(request, LegacySetPublicityDocument, { input: { namespace, repository: image, publicity } });
    return ok('success');
  });

  namespaceRoutes(app, run);

  // The legacy server read every body as JSON whatever its type: curl -d sends
  // application/x-www-form-urlencoded, fetch with a string body text/plain.
  // Cross-site writes are refused, so accepting these types opens no CSRF door.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['application/x-www-form-urlencoded', '*'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  const errors = legacyErrors({});
  app.setNotFoundHandler(errors.notFound);
  app.setErrorHandler(errors.error);
};
