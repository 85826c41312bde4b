import { openDatabase, type Database } from '../../src/db/client';
import { manifests, tags } from '../../src/db/schema';
import { createLoaders, type Loaders } from '../../src/graphql/loaders';
import { createServices, type Services } from '../../src/services';
import { addRepository } from '../../src/services/repositories';
import type { TagOrder } from '../../src/services/tags';

/*
 * The readers that take no viewer trust the ids they are handed, so their
 * types take only ids that a visibility-checked reader returned. tsc (`npm
 * run check`) proves it: each line under a @ts-expect-error must fail to
 * compile, or tsc reports the directive as unused.
 */
const order: TagOrder = { field: 'name', direction: 'asc' };
const page = { first: 10 };

export async function refusesRawIds({ repositories, tags, manifests }: Services, loaders: Loaders, raw: number) {
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await tags.pagesByRepository([raw], order, page);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await tags.countsByRepository([raw]);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await tags.latestByRepository([raw]);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await tags.byNames([{ repositoryId: raw, name: 'latest' }]);
  // @ts-expect-error a raw manifest id was not reached through a visible tag
  await manifests.byIds([raw]);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await manifests.byReferences([{ repositoryId: raw, reference: 'latest' }]);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await loaders.tagPage(order, page).load(raw);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await loaders.tagCount.load(raw);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await loaders.latestTag.load(raw);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await loaders.tagByName.load({ repositoryId: raw, name: 'latest' });
  // @ts-expect-error a raw manifest id was not reached through a visible tag
  await loaders.manifest.load(raw);
  // @ts-expect-error a raw repository id did not pass visibleCondition
  await loaders.manifestByReference.load({ repositoryId: raw, reference: 'latest' });
  // @ts-expect-error a repository id is not a manifest id
  await loaders.manifest.load((await repositories.find(null, 'library', 'hello')).id);
}

describe('visible ids', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  let database: Database;
  let services: Services;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
    const { db } = database;
    const repositoryId = (await addRepository(db, 'library', 'hello'))!;
    const [manifest] = await db.insert(manifests).values({ repositoryId, digest, mediaType: 'application/vnd.oci.image.manifest.v1+json' }).returning();
    await db.insert(tags).values({ repositoryId, name: 'latest', manifestId: manifest.id });
    services = createServices(db);
  });
  afterAll(() => database.close());

  test('ids a visibility-checked reader returned reach the viewer-less readers and loaders as they are', async () => {
    const loaders = createLoaders(services, null);
    const repository = await services.repositories.find(null, 'library', 'hello');
    const [tag] = await services.tags.byNames([{ repositoryId: repository.id, name: 'latest' }]);
    const [manifest] = await services.manifests.byIds([tag!.manifestId]);
    expect(manifest?.digest).toBe(digest);
    expect(await loaders.tagCount.load(repository.id)).toBe(1);
    expect((await loaders.manifest.load(tag!.manifestId))?.digest).toBe(digest);
    expect((await loaders.tagPage(order, page).load(repository.id)).nodes.map((t) => t.name)).toEqual(['latest']);
  });
});
