import { Field, ObjectType } from 'type-graphql';
import { Account } from './account.type';
import { MutationPayload } from './mutation';

@ObjectType({ description: 'The account createAccount made.', simpleResolvers: true })
export class CreateAccountPayload extends MutationPayload {
  @Field(() => Account, { description: 'The new account.' })
  account!: Account;

  @Field(() => String, { nullable: true, description: 'The generated password when none was given: shown this once, never stored.' })
  generatedPassword?: string;
}

@ObjectType({ description: 'The account whose password changePassword changed.', simpleResolvers: true })
export class ChangePasswordPayload extends MutationPayload {
  @Field(() => Account, { description: "The caller's account." })
  account!: Account;
}
