import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What a sync with the registry changed.', simpleResolvers: true })
export class SyncResult {
  @Field(() => Int, { description: "Repositories in the registry's catalog (namespace/name ones)." })
  repositories!: number;

  @Field(() => Int)
  repositoriesAdded!: number;

  @Field(() => Int)
  repositoriesRemoved!: number;

  @Field(() => Int)
  tagsAdded!: number;

  @Field(() => Int, { description: 'Tags whose digest changed in the registry.' })
  tagsMoved!: number;

  @Field(() => Int)
  tagsRemoved!: number;

  @Field(() => Int, { description: 'Manifests queued to have their body and config fetched.' })
  manifestsQueued!: number;
}
