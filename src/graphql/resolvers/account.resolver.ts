import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { ChangePasswordInput, CreateAccountInput } from '../types/account.input';
import { ChangePasswordPayload, CreateAccountPayload } from '../types/account.payload';
import { payloadOf } from '../types/mutation';

@Resolver()
export class AccountResolver {
  @Mutation(() => CreateAccountPayload, { description: 'Creates an account. Needs an admin.' })
  async createAccount(
    @Arg('input', () => CreateAccountInput, { description: 'The account to create.' }) input: CreateAccountInput,
    @Ctx() ctx: Context,
  ) {
    const { name, role, password } = input;
    return payloadOf(input, await ctx.services.accounts.create(ctx.viewer, { name, role, password: password ?? undefined }));
  }

  @Mutation(() => ChangePasswordPayload, { description: "Changes the caller's own password; needs the current one." })
  async changePassword(
    @Arg('input', () => ChangePasswordInput, { description: 'The current password and the new one.' }) input: ChangePasswordInput,
    @Ctx() ctx: Context,
  ) {
    return payloadOf(input, { account: await ctx.services.accounts.changePassword(ctx.viewer, input.currentPassword, input.newPassword, input.revokeTokens) });
  }
}
