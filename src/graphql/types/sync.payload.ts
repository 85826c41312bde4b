import { Field, Int, ObjectType } from 'type-graphql';
import { MutationPayload } from './mutation';

@ObjectType({ description: 'What a sync with the registry changed.', simpleResolvers: true })
export class SyncRegistryPayload extends MutationPayload {
  @Field(() => Int, { description: "Repositories in the registry's catalog (namespace/name ones)." })
  repositories!: number;

  @Field(() => Int, { description: 'Repositories the registry has and Berth did not.' })
  repositoriesAdded!: number;

  @Field(() => Int, { description: 'Repositories Berth had and the registry no longer has.' })
  repositoriesRemoved!: number;

  @Field(() => Int, { description: 'Tags the registry has and Berth did not.' })
  tagsAdded!: number;

  @Field(() => Int, { description: 'Tags whose digest changed in the registry.' })
  tagsMoved!: number;

  @Field(() => Int, { description: 'Tags Berth had and the registry no longer has.' })
  tagsRemoved!: number;

  @Field(() => Int, { description: 'Manifests queued to have their body and config fetched.' })
  manifestsQueued!: number;
}
