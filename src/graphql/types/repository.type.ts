import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import type { RepositoryFilter } from '../../services/repositories';
import { Connection } from './connection.type';

@ObjectType({ description: 'A repository of images: namespace/name, its tags, and its pull and push counts.', simpleResolvers: true })
export class Repository {
  @Field(() => Int, { description: 'Stable identifier of the repository.' })
  id!: number;

  @Field(() => String, { description: 'The short name, without the namespace.' })
  name!: string;

  @Field(() => GraphQLSafeInt, { description: 'Pulls of any manifest of the repository.' })
  pullCount!: number;

  @Field(() => GraphQLSafeInt, { description: 'Pushes of any manifest of the repository.' })
  pushCount!: number;

  @Field(() => GraphQLISODateTime, { description: 'When the repository was first pushed or synced.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When a push or a publicity change last changed the repository.' })
  updatedAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When any tag of the repository last received a push.' })
  lastPushedAt!: Date;

  isPublic!: boolean;
  namespaceId!: number;
  namespaceName!: string;
  namespaceOwnerId!: number | null;
}

@ObjectType({ description: 'A page of repositories.', simpleResolvers: true })
export class RepositoryConnection extends Connection(Repository) {
  filter!: RepositoryFilter;
}
