import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import type { VisibleRepositoryId } from '../../services/repositories';
import { Connection } from './connection.type';

@ObjectType({ description: 'A tag names one manifest of a repository.', simpleResolvers: true })
export class Tag {
  @Field(() => Int, { description: 'Stable identifier of the tag.' })
  id!: number;

  @Field(() => String, { description: 'The tag name, as in namespace/name:tag.' })
  name!: string;

  @Field(() => String, { description: 'Digest of the manifest the tag points at.' })
  digest!: string;

  @Field(() => String, { description: 'Media type of the tagged manifest.' })
  mediaType!: string;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Bytes: config plus layers of the tagged manifest; null until Berth knows them (an index, or a manifest not yet read from the registry).' })
  size!: number | null;

  @Field(() => GraphQLSafeInt, { description: "Pulls of the tag's current digest." })
  pullCount!: number;

  @Field(() => GraphQLSafeInt, { description: "Pushes of the tag's current digest." })
  pushCount!: number;

  @Field(() => GraphQLISODateTime, { description: 'When the tag was first pushed or synced.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When a push or a sync last moved the tag.' })
  updatedAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the tag last received a push.' })
  pushedAt!: Date;

  repositoryId!: number;
  manifestId!: number;
}

@ObjectType({ description: 'A page of the tags of a repository.', simpleResolvers: true })
export class TagConnection extends Connection(Tag) {
  repositoryId!: VisibleRepositoryId;
}
