import { Field, InputType } from 'type-graphql';
import { Publicity, RepositoryOrderField, SortDirection, TagOrderField } from './enums';

@InputType({ description: 'How to order a list of repositories.' })
export class RepositoryOrder {
  @Field(() => RepositoryOrderField)
  field!: RepositoryOrderField;

  @Field(() => SortDirection)
  direction!: SortDirection;
}

@InputType({ description: 'How to order the tags of a repository.' })
export class TagOrder {
  @Field(() => TagOrderField)
  field!: TagOrderField;

  @Field(() => SortDirection)
  direction!: SortDirection;
}

@InputType({ description: 'A repository by namespace and short name.' })
export class RepositoryRef {
  @Field(() => String)
  namespace!: string;

  @Field(() => String)
  name!: string;
}

@InputType()
export class DeleteTagInput extends RepositoryRef {
  @Field(() => String)
  tag!: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'The registry deletes by digest, which removes every tag on it; when other tags share the digest the delete is refused (CONFLICT) unless this is true.',
  })
  removeAllTagsOfDigest?: boolean;
}

@InputType()
export class SetPublicityInput extends RepositoryRef {
  @Field(() => Publicity)
  publicity!: Publicity;
}
