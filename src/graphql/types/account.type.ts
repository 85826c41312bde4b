import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'admin',
  USER = 'user',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'What an account may manage.',
  valuesConfig: {
    ADMIN: { description: 'Manages every namespace (and owns library) and creates accounts.' },
    USER: { description: 'Manages their own namespace.' },
  },
});

@ObjectType({ description: 'Someone who signs in, with a password or an access token.', simpleResolvers: true })
export class Account {
  @Field(() => Int, { description: 'Stable identifier of the account.' })
  id!: number;

  @Field(() => String, { description: 'The name to sign in with.' })
  name!: string;

  @Field(() => Role, { description: 'What the account may manage.' })
  role!: Role;

  @Field(() => GraphQLISODateTime, { description: 'When the account was created.' })
  createdAt!: Date;
}
