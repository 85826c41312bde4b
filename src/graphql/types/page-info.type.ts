import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay pagination state of a connection; lists page forward only, with first and after.', simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when rows follow this page: ask for them with after: endCursor.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description: 'True when after was given, so this page follows an earlier one; lists page forward only, so rows before the cursor are not checked.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first row of this page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last row of this page; null when the page is empty.' })
  endCursor!: string | null;
}
