import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A personal access token, sent as `Authorization: Bearer <secret>`.', simpleResolvers: true })
export class AccessToken {
  @Field(() => Int)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'After this the token signs in no more; null: never.' })
  expiresAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Last request signed in with it, to the minute.' })
  lastUsedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class CreateTokenPayload {
  @Field(() => AccessToken)
  token!: AccessToken;

  @Field(() => String, { description: 'The secret: shown this once; Berth keeps only its hash.' })
  secret!: string;
}
