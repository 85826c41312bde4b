import { Field, ObjectType } from 'type-graphql';
import { MutationPayload } from './mutation';

@ObjectType({ description: 'A tag a delete removed.', simpleResolvers: true })
export class RemovedTag {
  @Field(() => String, { description: 'The tag name.' })
  name!: string;

  @Field(() => String, { description: 'The digest the tag pointed at.' })
  digest!: string;
}

/** What deleteTag and deleteRepository both answer: the tags that went. Never a field, so not in the schema. */
@ObjectType({ simpleResolvers: true })
export abstract class TagRemoval extends MutationPayload {
  @Field(() => String, { description: "The repository's namespace." })
  namespace!: string;

  @Field(() => String, { description: "The repository's short name, without the namespace." })
  repository!: string;

  @Field(() => [RemovedTag], { description: 'The tags removed, by name.' })
  tags!: RemovedTag[];

  @Field(() => [String], { description: 'Manifests deleted in the registry, by digest; empty when no registry is configured.' })
  digests!: string[];

  @Field(() => [String], { description: 'Manifests the registry no longer had (it answered 404), by digest: already gone, as asked.' })
  alreadyGone!: string[];

  @Field(() => Boolean, { description: 'True when the last tag went and the repository went with it.' })
  repositoryRemoved!: boolean;
}

@ObjectType({ description: 'What deleteTag removed: the tag, others of its digest when asked, and the repository when it was the last.', simpleResolvers: true })
export class DeleteTagPayload extends TagRemoval {}

@ObjectType({ description: 'What deleteRepository removed.', simpleResolvers: true })
export class DeleteRepositoryPayload extends TagRemoval {}
