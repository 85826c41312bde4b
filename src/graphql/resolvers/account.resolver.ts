import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { AccessToken } from '../types/access-token.type';
import { Account, CreateAccountPayload, Role } from '../types/account.type';
import { Namespace } from '../types/namespace.type';
import { ViewerType } from '../types/viewer.type';

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Query(() => ViewerType, { description: 'Who is calling: their account, namespace and access tokens.' })
  viewer(): ViewerType {
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

@Resolver()
export class AccountResolver {
  @Mutation(() => CreateAccountPayload, { description: 'Creates an account. Needs an admin.' })
  createAccount(
    @Arg('name', () => String) name: string,
    @Arg('role', () => Role, { defaultValue: Role.USER }) role: Role,
    @Arg('password', () => String, { nullable: true, description: 'Generated and returned once when absent.' }) password: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.accounts.create(ctx.viewer, { name, role, password: password ?? undefined });
  }

  @Mutation(() => Account, { description: "Changes the caller's own password; needs the current one." })
  changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.accounts.changePassword(ctx.viewer, currentPassword, newPassword);
  }
}
