import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Namespace } from '../types/namespace.type';

@Resolver()
export class NamespaceResolver {
  @Mutation(() => Namespace, {
    description: 'Creates the caller\'s namespace (one per account); names match ^[0-9a-z][0-9a-z_-]{0,28}[0-9a-z]$. CONFLICT when taken.',
  })
  createNamespace(@Arg('name', () => String) name: string, @Ctx() ctx: Context) {
    return ctx.services.namespaces.create(ctx.viewer, name);
  }
}
