import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { notFound } from '../../errors';
import { pageArgs, TAG_PAGE_SIZE } from '../../services/pagination';
import { pageCost } from '../limits';
import type { RepositoryRecord } from '../../services/repositories';
import type { Context } from '../context';
import { toConnection } from '../connection';
import { OrderDirection, Publicity, TagOrderField } from '../types/enums';
import { Manifest } from '../types/manifest.type';
import { payloadOf } from '../types/mutation';
import { Namespace } from '../types/namespace.type';
import { DeleteRepositoryInput, SetPublicityInput } from '../types/repository.input';
import { SetPublicityPayload } from '../types/repository.payload';
import { DeleteRepositoryPayload } from '../types/tag-removal.payload';
import { Repository, RepositoryConnection } from '../types/repository.type';
import { TagOrder } from '../types/tag.input';
import { Tag, TagConnection } from '../types/tag.type';

@Resolver(() => Repository)
export class RepositoryResolver {
  @FieldResolver(() => String, { description: 'The full name, namespace/name, as docker pull takes it.' })
  fullName(@Root() repository: RepositoryRecord): string {
    return `${repository.namespaceName}/${repository.name}`;
  }

  @FieldResolver(() => Namespace, { description: 'The namespace the repository belongs to.' })
  namespace(@Root() repository: RepositoryRecord): Namespace {
    return { id: repository.namespaceId, name: repository.namespaceName };
  }

  @FieldResolver(() => Publicity, { description: 'Who may see the repository.' })
  publicity(@Root() repository: RepositoryRecord): Publicity {
    return repository.isPublic ? Publicity.PUBLIC : Publicity.PRIVATE;
  }

  @FieldResolver(() => Tag, { nullable: true, description: 'The most recently pushed tag.' })
  latestTag(@Root() repository: RepositoryRecord, @Ctx() ctx: Context) {
    // The tag's `repository` is this one, already read and allowed: no need to read it again.
    ctx.loaders.repository.prime(repository.id, repository);
    return ctx.loaders.latestTag.load(repository.id);
  }

  @FieldResolver(() => TagConnection, { description: 'A page of the tags of the repository, by name unless ordered otherwise.', complexity: pageCost(TAG_PAGE_SIZE) })
  async tags(
    @Root() repository: RepositoryRecord,
    @Ctx() ctx: Context,
    @Arg('orderBy', () => TagOrder, {
      defaultValue: { field: TagOrderField.NAME, direction: OrderDirection.ASC },
      description: 'How to order the tags.',
    })
    orderBy: TagOrder,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 500 (default 100).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the page before; absent for the first page.' }) after: string | null,
  ) {
    ctx.loaders.repository.prime(repository.id, repository);
    const args = pageArgs(first, after, TAG_PAGE_SIZE);
    const page = await ctx.loaders.tagPage(orderBy, args).load(repository.id);
    return toConnection(page, args, { repositoryId: repository.id });
  }

  @FieldResolver(() => Manifest, { description: 'The manifest a tag or digest names; NOT_FOUND when there is none.' })
  async manifest(
    @Root() repository: RepositoryRecord,
    @Arg('reference', () => String, { description: 'A tag name, or a digest such as sha256:….' }) reference: string,
    @Ctx() ctx: Context,
  ) {
    const manifest = await ctx.loaders.manifestByReference.load({ repositoryId: repository.id, reference });
    if (!manifest) throw notFound(`manifest ${reference} not found in ${repository.namespaceName}/${repository.name}`);
    return manifest;
  }

  @FieldResolver(() => Tag, { description: 'One tag by name; NOT_FOUND when the repository has no such tag.' })
  async tag(@Root() repository: RepositoryRecord, @Arg('name', () => String, { description: 'The tag name.' }) name: string, @Ctx() ctx: Context) {
    const tag = await ctx.loaders.tagByName.load({ repositoryId: repository.id, name });
    if (!tag) throw notFound(`tag ${name} not found in ${repository.namespaceName}/${repository.name}`);
    return tag;
  }

  @Mutation(() => SetPublicityPayload, { description: "Makes a repository public or private. Needs the namespace's owner or an admin." })
  async setPublicity(
    @Arg('input', () => SetPublicityInput, { description: 'The repository and who may see it from now on.' }) input: SetPublicityInput,
    @Ctx() ctx: Context,
  ) {
    return payloadOf(input, {
      repository: await ctx.services.repositories.setPublicity(ctx.viewer, input.namespace, input.repository, input.publicity === Publicity.PUBLIC),
    });
  }

  @Mutation(() => DeleteRepositoryPayload, { description: 'Deletes every tag of a repository, and so the repository.' })
  async deleteRepository(
    @Arg('input', () => DeleteRepositoryInput, { description: 'The repository to delete.' }) input: DeleteRepositoryInput,
    @Ctx() ctx: Context,
  ) {
    return payloadOf(input, await ctx.services.tagRemoval.remove(ctx.viewer, input.namespace, input.repository));
  }
}

@Resolver(() => RepositoryConnection)
export class RepositoryConnectionResolver {
  @FieldResolver(() => Int, { description: 'All repositories matching the filter, on every page.' })
  totalCount(@Root() connection: RepositoryConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.services.repositories.count(ctx.viewer, connection.filter);
  }
}
