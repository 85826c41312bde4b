import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { CreateTokenInput, RevokeAccountTokensInput, RevokeTokenInput } from '../types/access-token.input';
import { CreateTokenPayload, RevokeAccountTokensPayload, RevokeTokenPayload } from '../types/access-token.payload';
import { payloadOf } from '../types/mutation';

@Resolver()
export class TokenResolver {
  @Mutation(() => CreateTokenPayload, { description: 'Creates a personal access token for the caller, who must sign in with a password; the secret is returned only here.' })
  async createToken(@Arg('input', () => CreateTokenInput, { description: 'The token to create.' }) input: CreateTokenInput, @Ctx() ctx: Context) {
    return payloadOf(input, await ctx.services.tokens.create(ctx.viewer, { name: input.name, expiresAt: input.expiresAt ?? null, permission: input.permission }));
  }

  @Mutation(() => RevokeTokenPayload, { description: "Revokes one of the caller's tokens at once." })
  async revokeToken(@Arg('input', () => RevokeTokenInput, { description: 'The token to revoke.' }) input: RevokeTokenInput, @Ctx() ctx: Context) {
    return payloadOf(input, { token: await ctx.services.tokens.revoke(ctx.viewer, input.id) });
  }

  @Mutation(() => RevokeAccountTokensPayload, { description: 'Revokes every access token of an account at once. Needs an admin.' })
  async revokeAccountTokens(@Arg('input', () => RevokeAccountTokensInput, { description: 'The account.' }) input: RevokeAccountTokensInput, @Ctx() ctx: Context) {
    return payloadOf(input, { revoked: await ctx.services.tokens.revokeAll(ctx.viewer, input.account) });
  }
}
