import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The platform an image manifest of a multi-arch index runs on.', simpleResolvers: true })
export class Platform {
  @Field(() => String)
  architecture!: string;

  @Field(() => String)
  os!: string;

  @Field(() => String, { nullable: true })
  variant?: string;
}

@ObjectType({ description: 'A content descriptor: a config blob, a layer, or a child manifest.', simpleResolvers: true })
export class Descriptor {
  @Field(() => String)
  mediaType!: string;

  @Field(() => String)
  digest!: string;

  @Field(() => GraphQLSafeInt, { description: 'Bytes.' })
  size!: number;

  @Field(() => Platform, { nullable: true, description: 'Set on the child manifests of a multi-arch index.' })
  platform?: Platform;
}

@ObjectType({ description: 'One step of the image history, from its config.', simpleResolvers: true })
export class HistoryEntry {
  @Field(() => String, { nullable: true })
  created?: string;

  @Field(() => String, { nullable: true, description: 'The command that made the step.' })
  createdBy?: string;

  @Field(() => Boolean, { description: 'True when the step added no layer.' })
  emptyLayer!: boolean;

  @Field(() => String, { nullable: true })
  comment?: string;
}

@ObjectType({ description: 'An image manifest or a multi-arch index, addressed by its digest.', simpleResolvers: true })
export class Manifest {
  @Field(() => String)
  digest!: string;

  @Field(() => String)
  mediaType!: string;

  @Field(() => Int)
  schemaVersion!: number;

  @Field(() => GraphQLSafeInt, { description: 'Config size plus the layer sizes; for an index, the sum over its children.' })
  size!: number;

  @Field(() => Descriptor, { nullable: true, description: 'The image config; null for an index.' })
  config!: Descriptor | null;

  @Field(() => [Descriptor])
  layers!: Descriptor[];

  @Field(() => [Descriptor], { description: 'The child manifests of a multi-arch index, each with its platform.' })
  children!: Descriptor[];

  @Field(() => String, { nullable: true })
  architecture!: string | null;

  @Field(() => String, { nullable: true })
  os!: string | null;

  @Field(() => [HistoryEntry], { description: 'The image history, oldest first; empty for an index.' })
  history!: HistoryEntry[];

  @Field(() => GraphQLSafeInt)
  pullCount!: number;

  @Field(() => GraphQLSafeInt)
  pushCount!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the body and config were last read from the registry; null until then.' })
  fetchedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last read from the registry failed; it is retried with backoff, and by the next push or sync.' })
  fetchError!: string | null;
}
