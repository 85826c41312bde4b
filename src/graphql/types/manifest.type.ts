import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The platform an image manifest of a multi-arch index runs on.', simpleResolvers: true })
export class Platform {
  @Field(() => String, { description: 'CPU architecture, e.g. amd64 or arm64.' })
  architecture!: string;

  @Field(() => String, { description: 'Operating system, e.g. linux.' })
  os!: string;

  @Field(() => String, { nullable: true, description: 'Architecture variant, e.g. v8 for arm64; null when none.' })
  variant?: string;
}

@ObjectType({ description: 'A content descriptor: a config blob, a layer, or a child manifest.', simpleResolvers: true })
export class Descriptor {
  @Field(() => String, { description: 'Media type of the content.' })
  mediaType!: string;

  @Field(() => String, { description: 'Digest of the content, e.g. sha256:….' })
  digest!: string;

  @Field(() => GraphQLSafeInt, { description: 'Bytes.' })
  size!: number;

  @Field(() => Platform, { nullable: true, description: 'Set on the child manifests of a multi-arch index.' })
  platform?: Platform;
}

@ObjectType({ description: 'One step of the image history, from its config.', simpleResolvers: true })
export class HistoryEntry {
  @Field(() => String, { nullable: true, description: 'When the step ran, as the config records it.' })
  created?: string;

  @Field(() => String, { nullable: true, description: 'The command that made the step.' })
  createdBy?: string;

  @Field(() => Boolean, { description: 'True when the step added no layer.' })
  emptyLayer!: boolean;

  @Field(() => String, { nullable: true, description: 'A note on the step, as the config records it.' })
  comment?: string;
}

@ObjectType({ description: 'An image manifest or a multi-arch index, addressed by its digest.', simpleResolvers: true })
export class Manifest {
  @Field(() => String, { description: 'Digest of the manifest body, e.g. sha256:….' })
  digest!: string;

  @Field(() => String, { description: 'Media type of the manifest or index.' })
  mediaType!: string;

  @Field(() => Int, { description: 'The schemaVersion field of the manifest body.' })
  schemaVersion!: number;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Config size plus the layer sizes; for an index, the sum over its children. Null until Berth knows them (an index, or a manifest not yet read from the registry).' })
  size!: number | null;

  @Field(() => Descriptor, { nullable: true, description: 'The image config; null for an index.' })
  config!: Descriptor | null;

  @Field(() => [Descriptor], { description: 'The image layers, base first; empty for an index.' })
  layers!: Descriptor[];

  @Field(() => [Descriptor], { description: 'The child manifests of a multi-arch index, each with its platform.' })
  children!: Descriptor[];

  @Field(() => String, { nullable: true, description: 'CPU architecture, from the image config; null for an index.' })
  architecture!: string | null;

  @Field(() => String, { nullable: true, description: 'Operating system, from the image config; null for an index.' })
  os!: string | null;

  @Field(() => [HistoryEntry], { description: 'The image history, oldest first; empty for an index.' })
  history!: HistoryEntry[];

  @Field(() => GraphQLSafeInt, { description: 'Pulls of this digest in its repository.' })
  pullCount!: number;

  @Field(() => GraphQLSafeInt, { description: 'Pushes of this digest to its repository.' })
  pushCount!: number;

  @Field(() => GraphQLISODateTime, { description: 'When the digest was first pushed to its repository or synced.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the body and config were last read from the registry; null until then.' })
  fetchedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last read from the registry failed; it is retried with backoff, and by the next push or sync.' })
  fetchError!: string | null;
}
