import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import { AccessTokenPermission } from './enums';

@ObjectType({ description: 'A personal access token, sent as `Authorization: Bearer <secret>`.', simpleResolvers: true })
export class AccessToken {
  @Field(() => Int, { description: 'Identifies the token to revokeToken.' })
  id!: number;

  @Field(() => String, { description: 'What the token is for, as its creator named it.' })
  name!: string;

  @Field(() => AccessTokenPermission, { description: 'What the token may do.' })
  permission!: AccessTokenPermission;

  @Field(() => GraphQLISODateTime, { description: 'When the token was created.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'After this the token signs in no more; null: never.' })
  expiresAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Last request signed in with it, to the minute.' })
  lastUsedAt!: Date | null;
}
