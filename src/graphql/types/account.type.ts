import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'admin',
  USER = 'user',
}
registerEnumType(Role, {
  name: 'Role',
  valuesConfig: {
    ADMIN: { description: 'Manages every namespace (and owns library) and creates accounts.' },
    USER: { description: 'Manages their own namespace.' },
  },
});

@ObjectType({ description: 'Someone who signs in, with a password or an access token.', simpleResolvers: true })
export class Account {
  @Field(() => Int)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class CreateAccountPayload {
  @Field(() => Account)
  account!: Account;

  @Field(() => String, { nullable: true, description: 'The generated password when none was given: shown this once, never stored.' })
  generatedPassword?: string;
}
