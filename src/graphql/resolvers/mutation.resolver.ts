import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Publicity } from '../types/enums';
import { DeleteTagInput, RepositoryRef, SetPublicityInput } from '../types/inputs';
import { DeleteTagsPayload } from '../types/payloads';
import { Repository } from '../types/repository.type';

@Resolver()
export class MutationResolver {
  @Mutation(() => DeleteTagsPayload, {
    description: "Deletes one tag; the repository goes too when it was the last. Needs the namespace's owner or an admin.",
  })
  deleteTag(@Arg('input', () => DeleteTagInput) input: DeleteTagInput, @Ctx() ctx: Context) {
    return ctx.services.tags.remove(ctx.viewer, input.namespace, input.name, [input.tag]);
  }

  @Mutation(() => DeleteTagsPayload, { description: 'Deletes every tag of a repository, and so the repository.' })
  deleteRepository(@Arg('input', () => RepositoryRef) input: RepositoryRef, @Ctx() ctx: Context) {
    return ctx.services.tags.remove(ctx.viewer, input.namespace, input.name);
  }

  @Mutation(() => Repository, { description: "Makes a repository public or private. Needs the namespace's owner or an admin." })
  setPublicity(@Arg('input', () => SetPublicityInput) input: SetPublicityInput, @Ctx() ctx: Context) {
    return ctx.services.repositories.setPublicity(ctx.viewer, input.namespace, input.name, input.publicity === Publicity.PUBLIC);
  }
}
