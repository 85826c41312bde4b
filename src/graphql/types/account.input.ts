import { Field, InputType } from 'type-graphql';
import { PASSWORD_LENGTH } from '../../auth/passwords';
import { ACCOUNT_NAME } from '../../services/accounts';
import { Role } from './account.type';
import { MutationInput } from './mutation';

@InputType({ description: 'The account createAccount makes.' })
export class CreateAccountInput extends MutationInput {
  @Field(() => String, { description: `The name to sign in with; it matches ${ACCOUNT_NAME.source}.` })
  name!: string;

  @Field(() => Role, { defaultValue: Role.USER, description: 'What the account may manage.' })
  role!: Role;

  @Field(() => String, {
    nullable: true,
    description: `${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters; generated and returned once when absent.`,
  })
  password?: string | null;
}

@InputType({ description: "The caller's current password and the one to replace it." })
export class ChangePasswordInput extends MutationInput {
  @Field(() => String, { description: 'The password the caller has now; BAD_USER_INPUT when wrong.' })
  currentPassword!: string;

  @Field(() => String, { description: `The password from now on: ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters.` })
  newPassword!: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Also revoke every access token of the account, at once (after a leak, say).' })
  revokeTokens!: boolean;
}
