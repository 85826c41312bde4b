import { Field, InputType } from 'type-graphql';
import { OrderDirection, Publicity, RepositoryOrderField } from './enums';
import { MutationInput } from './mutation';

@InputType({ description: 'How to order a list of repositories.' })
export class RepositoryOrder {
  @Field(() => RepositoryOrderField, { description: 'What to order by.' })
  field!: RepositoryOrderField;

  @Field(() => OrderDirection, { description: 'Which way.' })
  direction!: OrderDirection;
}

/** The input of a mutation on one repository, named as docker pull names it: namespace/repository. Never a field, so not in the schema. */
@InputType()
export abstract class RepositoryMutationInput extends MutationInput {
  @Field(() => String, { description: "The repository's namespace." })
  namespace!: string;

  @Field(() => String, { description: "The repository's short name, without the namespace." })
  repository!: string;
}

@InputType({ description: 'The repository setPublicity changes, and who may see it from now on.' })
export class SetPublicityInput extends RepositoryMutationInput {
  @Field(() => Publicity, { description: 'Who may see the repository from now on.' })
  publicity!: Publicity;
}

@InputType({ description: 'The repository deleteRepository deletes, with every tag.' })
export class DeleteRepositoryInput extends RepositoryMutationInput {}
