import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay pagination state of a connection.', simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}
