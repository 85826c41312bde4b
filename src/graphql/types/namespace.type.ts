import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A namespace groups repositories; it is owned by one account (library: by the admins).', simpleResolvers: true })
export class Namespace {
  @Field(() => Int, { description: 'Stable identifier of the namespace.' })
  id!: number;

  @Field(() => String, { description: 'The first part of namespace/name.' })
  name!: string;
}
