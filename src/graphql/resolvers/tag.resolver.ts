import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { TagRecord } from '../../services/tags';
import type { Context } from '../context';
import { Manifest } from '../types/manifest.type';
import { payloadOf } from '../types/mutation';
import { Repository } from '../types/repository.type';
import { DeleteTagInput } from '../types/tag.input';
import { DeleteTagPayload } from '../types/tag-removal.payload';
import { Tag, TagConnection } from '../types/tag.type';

@Resolver(() => Tag)
export class TagResolver {
  @FieldResolver(() => Manifest, { description: 'The manifest the tag points at.' })
  manifest(@Root() tag: TagRecord, @Ctx() ctx: Context) {
    return ctx.loaders.manifest.load(tag.manifestId);
  }

  @FieldResolver(() => Repository, { description: 'The repository the tag belongs to.' })
  repository(@Root() tag: TagRecord, @Ctx() ctx: Context) {
    return ctx.loaders.repository.load(tag.repositoryId);
  }

  @Mutation(() => DeleteTagPayload, {
    description:
      "Deletes one tag, in the registry first (by digest) when one is configured; the repository goes too when it was the last. Needs the namespace's owner or an admin. UPSTREAM_FAILURE when the registry refuses or cannot be reached, and then nothing changes.",
  })
  async deleteTag(@Arg('input', () => DeleteTagInput, { description: 'The tag to delete.' }) input: DeleteTagInput, @Ctx() ctx: Context) {
    const { namespace, repository, tag, removeAllTagsOfDigest } = input;
    return payloadOf(input, await ctx.services.tagRemoval.remove(ctx.viewer, namespace, repository, [tag], { removeAllTagsOfDigest }));
  }
}

@Resolver(() => TagConnection)
export class TagConnectionResolver {
  @FieldResolver(() => Int, { description: 'All tags of the repository, on every page.' })
  totalCount(@Root() connection: TagConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.tagCount.load(connection.repositoryId);
  }
}
