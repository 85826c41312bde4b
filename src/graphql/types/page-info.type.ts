import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay pagination state of a connection; lists page forward only, with first and after.', simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when rows follow this page: ask for them with after: endCursor.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description: 'True when the page was asked for with after, a cursor of an earlier page; rows before it are not counted again.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first row of this page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last row of this page; null when the page is empty.' })
  endCursor!: string | null;
}
