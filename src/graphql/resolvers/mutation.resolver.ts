import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Publicity } from '../types/enums';
import { DeleteTagInput, RepositoryRef, SetPublicityInput } from '../types/inputs';
import { DeleteTagsPayload } from '../types/payloads';
import { Repository } from '../types/repository.type';

@Resolver()
export class MutationResolver {
  @Mutation(() => DeleteTagsPayload, {
    description:
      "Deletes one tag, in the registry first (by digest) when one is configured; the repository goes too when it was the last. Needs the namespace's owner or an admin. UPSTREAM_FAILURE when the registry refuses or cannot be reached, and then nothing changes.",
  })
  deleteTag(@Arg('input', () => DeleteTagInput) input: DeleteTagInput, @Ctx() ctx: Context) {
    return ctx.services.tagRemoval.remove(ctx.viewer, input.namespace, input.name, [input.tag], { removeAllTagsOfDigest: input.removeAllTagsOfDigest });
  }

  @Mutation(() => DeleteTagsPayload, { description: 'Deletes every tag of a repository, and so the repository.' })
  deleteRepository(@Arg('input', () => RepositoryRef) input: RepositoryRef, @Ctx() ctx: Context) {
    return ctx.services.tagRemoval.remove(ctx.viewer, input.namespace, input.name);
  }

  @Mutation(() => Repository, { description: "Makes a repository public or private. Needs the namespace's owner or an admin." })
  setPublicity(@Arg('input', () => SetPublicityInput) input: SetPublicityInput, @Ctx() ctx: Context) {
    return ctx.services.repositories.setPublicity(ctx.viewer, input.namespace, input.name, input.publicity === Publicity.PUBLIC);
  }
}
