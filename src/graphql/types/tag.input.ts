import { Field, InputType } from 'type-graphql';
import { TagOrderField } from './enums';
import { RepositoryMutationInput } from './mutation';
import { OrderInput } from './order.input';

@InputType({ description: 'How to order the tags of a repository.' })
export class TagOrder extends OrderInput(TagOrderField) {}

@InputType({ description: 'The tag deleteTag deletes: namespace/repository:tag.' })
export class DeleteTagInput extends RepositoryMutationInput {
  @Field(() => String, { description: 'The tag name.' })
  tag!: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'The registry deletes by digest, which removes every tag on it; when other tags share the digest the delete is refused (CONFLICT) unless this is true.',
  })
  removeAllTagsOfDigest?: boolean;
}
