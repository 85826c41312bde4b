import { Field, InputType } from 'type-graphql';
import { Publicity, RepositoryOrderField } from './enums';
import { RepositoryMutationInput } from './mutation';
import { OrderInput } from './order.input';

@InputType({ description: 'How to order a list of repositories.' })
export class RepositoryOrder extends OrderInput(RepositoryOrderField) {}

@InputType({ description: 'The repository setPublicity changes, and who may see it from now on.' })
export class SetPublicityInput extends RepositoryMutationInput {
  @Field(() => Publicity, { description: 'Who may see the repository from now on.' })
  publicity!: Publicity;
}

@InputType({ description: 'The repository deleteRepository deletes, with every tag.' })
export class DeleteRepositoryInput extends RepositoryMutationInput {}
