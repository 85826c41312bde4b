import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { payloadOf } from '../types/mutation';
import { CreateNamespaceInput } from '../types/namespace.input';
import { CreateNamespacePayload } from '../types/namespace.payload';

@Resolver()
export class NamespaceResolver {
  @Mutation(() => CreateNamespacePayload, { description: "Creates the caller's namespace (one per account). CONFLICT when taken." })
  async createNamespace(
    @Arg('input', () => CreateNamespaceInput, { description: 'The namespace to create.' }) input: CreateNamespaceInput,
    @Ctx() ctx: Context,
  ) {
    return payloadOf(input, { namespace: await ctx.services.namespaces.create(ctx.viewer, input.name) });
  }
}
