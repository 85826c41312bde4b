import { Field, ObjectType } from 'type-graphql';
import { MutationPayload } from './mutation';
import { Repository } from './repository.type';

@ObjectType({ description: 'The repository setPublicity changed.', simpleResolvers: true })
export class SetPublicityPayload extends MutationPayload {
  @Field(() => Repository, { description: 'The repository, with its new publicity.' })
  repository!: Repository;
}
