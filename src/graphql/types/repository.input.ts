import { Field, InputType } from 'type-graphql';
import { OrderDirection, Publicity, RepositoryOrderField } from './enums';
import { RepositoryMutationInput } from './mutation';

@InputType({ description: 'How to order a list of repositories.' })
export class RepositoryOrder {
  @Field(() => RepositoryOrderField, { description: 'What to order by.' })
  field!: RepositoryOrderField;

  @Field(() => OrderDirection, { description: 'Which way.' })
  direction!: OrderDirection;
}

@InputType({ description: 'The repository setPublicity changes, and who may see it from now on.' })
export class SetPublicityInput extends RepositoryMutationInput {
  @Field(() => Publicity, { description: 'Who may see the repository from now on.' })
  publicity!: Publicity;
}

@InputType({ description: 'The repository deleteRepository deletes, with every tag.' })
export class DeleteRepositoryInput extends RepositoryMutationInput {}
