import { Field, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true })
export class RemovedTag {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  digest!: string;
}

@ObjectType({ description: 'What a delete removed.', simpleResolvers: true })
export class DeleteTagsPayload {
  @Field(() => String)
  namespace!: string;

  @Field(() => String)
  repository!: string;

  @Field(() => [RemovedTag])
  tags!: RemovedTag[];

  @Field(() => [String], { description: 'Manifests deleted in the registry, by digest; empty when no registry is configured.' })
  digests!: string[];

  @Field(() => Boolean, { description: 'True when the last tag went and the repository went with it.' })
  repositoryRemoved!: boolean;
}
