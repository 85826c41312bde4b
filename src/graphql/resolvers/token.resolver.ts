import { Arg, Ctx, GraphQLISODateTime, Int, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { AccessToken, CreateTokenPayload } from '../types/access-token.type';

@Resolver()
export class TokenResolver {
  @Mutation(() => CreateTokenPayload, { description: 'Creates a personal access token for the caller; the secret is returned only here.' })
  createToken(
    @Arg('name', () => String, { description: 'What the token is for, e.g. "CI".' }) name: string,
    @Arg('expiresAt', () => GraphQLISODateTime, { nullable: true, description: 'Null: the token never expires.' }) expiresAt: Date | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.tokens.create(ctx.viewer, name, expiresAt);
  }

  @Mutation(() => AccessToken, { description: "Revokes one of the caller's tokens at once." })
  revokeToken(@Arg('id', () => Int) id: number, @Ctx() ctx: Context) {
    return ctx.services.tokens.revoke(ctx.viewer, id);
  }
}
