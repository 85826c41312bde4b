import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { TagRecord } from '../../services/tags';
import type { Context } from '../context';
import { Manifest } from '../types/manifest.type';
import { Repository } from '../types/repository.type';
import { Tag, TagConnection } from '../types/tag.type';

@Resolver(() => Tag)
export class TagResolver {
  @FieldResolver(() => Manifest)
  manifest(@Root() tag: TagRecord, @Ctx() ctx: Context) {
    return ctx.loaders.manifest.load(tag.manifestId);
  }

  @FieldResolver(() => Repository)
  repository(@Root() tag: TagRecord, @Ctx() ctx: Context) {
    return ctx.loaders.repository.load(tag.repositoryId);
  }
}

@Resolver(() => TagConnection)
export class TagConnectionResolver {
  @FieldResolver(() => Int, { description: 'All tags of the repository, on every page.' })
  totalCount(@Root() connection: TagConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.tagCount.load(connection.repositoryId);
  }
}
