import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { notFound } from '../../errors';
import { pageArgs } from '../../services/pagination';
import type { RepositoryRecord } from '../../services/repositories';
import type { Context } from '../context';
import { toConnection } from '../connection';
import { Publicity, SortDirection, TagOrderField } from '../types/enums';
import { TagOrder } from '../types/inputs';
import { Manifest } from '../types/manifest.type';
import { Namespace } from '../types/namespace.type';
import { Repository, RepositoryConnection } from '../types/repository.type';
import { Tag, TagConnection } from '../types/tag.type';

@Resolver(() => Repository)
export class RepositoryResolver {
  @FieldResolver(() => String, { description: 'namespace/name, as docker pull takes it.' })
  fullName(@Root() repository: RepositoryRecord): string {
    return `${repository.namespaceName}/${repository.name}`;
  }

  @FieldResolver(() => Namespace)
  namespace(@Root() repository: RepositoryRecord): Namespace {
    return { id: repository.namespaceId, name: repository.namespaceName };
  }

  @FieldResolver(() => Publicity)
  publicity(@Root() repository: RepositoryRecord): Publicity {
    return repository.isPublic ? Publicity.PUBLIC : Publicity.PRIVATE;
  }

  @FieldResolver(() => Tag, { nullable: true, description: 'The most recently pushed tag.' })
  latestTag(@Root() repository: RepositoryRecord, @Ctx() ctx: Context) {
    // The tag's `repository` is this one, already read and allowed: no need to read it again.
    ctx.loaders.repository.prime(repository.id, repository);
    return ctx.loaders.latestTag.load(repository.id);
  }

  @FieldResolver(() => TagConnection)
  async tags(
    @Root() repository: RepositoryRecord,
    @Ctx() ctx: Context,
    @Arg('orderBy', () => TagOrder, { defaultValue: { field: TagOrderField.NAME, direction: SortDirection.ASC } })
    orderBy: TagOrder,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 500 (default 100).' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ) {
    ctx.loaders.repository.prime(repository.id, repository);
    const page = await ctx.loaders.tagPage(orderBy, pageArgs(first, after, 100)).load(repository.id);
    return toConnection(page, { repositoryId: repository.id });
  }

  @FieldResolver(() => Manifest, { description: 'The manifest a tag or digest names; NOT_FOUND when there is none.' })
  async manifest(@Root() repository: RepositoryRecord, @Arg('reference', () => String) reference: string, @Ctx() ctx: Context) {
    const manifest = await ctx.loaders.manifestByReference.load({ repositoryId: repository.id, reference });
    if (!manifest) throw notFound(`manifest ${reference} not found in ${repository.namespaceName}/${repository.name}`);
    return manifest;
  }

  @FieldResolver(() => Tag, { description: 'One tag by name; NOT_FOUND when the repository has no such tag.' })
  async tag(@Root() repository: RepositoryRecord, @Arg('name', () => String) name: string, @Ctx() ctx: Context) {
    const tag = await ctx.loaders.tagByName.load({ repositoryId: repository.id, name });
    if (!tag) throw notFound(`tag ${name} not found in ${repository.namespaceName}/${repository.name}`);
    return tag;
  }
}

@Resolver(() => RepositoryConnection)
export class RepositoryConnectionResolver {
  @FieldResolver(() => Int, { description: 'All repositories matching the filter, on every page.' })
  totalCount(@Root() connection: RepositoryConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.services.repositories.count(ctx.viewer, connection.filter);
  }
}
