import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A namespace groups repositories; it is owned by one account (library: by the admins).', simpleResolvers: true })
export class Namespace {
  @Field(() => Int)
  id!: number;

  @Field(() => String)
  name!: string;
}
