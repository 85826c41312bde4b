import { Field, GraphQLISODateTime, InputType, Int } from 'type-graphql';
import { AccessTokenPermission } from './enums';
import { MutationInput } from './mutation';

@InputType({ description: 'The access token createToken makes for the caller.' })
export class CreateTokenInput extends MutationInput {
  @Field(() => String, { description: 'What the token is for, e.g. "CI".' })
  name!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the token stops signing in; null: never.' })
  expiresAt?: Date | null;

  // READ by default: a token leaked from a laptop or a pull-only job should not be able to delete.
  @Field(() => AccessTokenPermission, {
    defaultValue: AccessTokenPermission.READ,
    description: 'What the token may do; WRITE for a job that pushes or deletes.',
  })
  permission!: AccessTokenPermission;
}

@InputType({ description: 'The account whose tokens revokeAccountTokens deletes.' })
export class RevokeAccountTokensInput extends MutationInput {
  @Field(() => String, { description: "The account's name." })
  account!: string;
}

@InputType({ description: 'The access token revokeToken deletes.' })
export class RevokeTokenInput extends MutationInput {
  @Field(() => Int, { description: "The token's id; it must be one of the caller's tokens." })
  id!: number;
}
