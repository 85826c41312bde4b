import { Ctx, FieldResolver, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { AccessToken } from '../types/access-token.type';
import { Account } from '../types/account.type';
import { Namespace } from '../types/namespace.type';
import { Viewer } from '../types/viewer.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who is calling: their account, namespace and access tokens.' })
  viewer(): Viewer {
    return {};
  }

  @FieldResolver(() => Account, { nullable: true, description: 'Null for an anonymous caller.' })
  account(@Ctx() ctx: Context) {
    return ctx.services.accounts.find(ctx.viewer);
  }

  @FieldResolver(() => Namespace, { nullable: true, description: "The caller's own namespace; null until created." })
  namespace(@Ctx() ctx: Context) {
    return ctx.services.namespaces.ofViewer(ctx.viewer);
  }

  @FieldResolver(() => [AccessToken], { description: "The caller's access tokens, newest first. Needs a signed-in caller." })
  tokens(@Ctx() ctx: Context) {
    return ctx.services.tokens.list(ctx.viewer);
  }
}
