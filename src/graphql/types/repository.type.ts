import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import type { RepositoryFilter } from '../../services/repositories';
import { Connection } from './connection.type';

@ObjectType({ description: 'A repository of images: namespace/name, its tags, and its pull and push counts.', simpleResolvers: true })
export class Repository {
  @Field(() => Int)
  id!: number;

  @Field(() => String, { description: 'The short name, without the namespace.' })
  name!: string;

  @Field(() => GraphQLSafeInt, { description: 'Pulls of any manifest of the repository.' })
  pullCount!: number;

  @Field(() => GraphQLSafeInt, { description: 'Pushes of any manifest of the repository.' })
  pushCount!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;

  @Field(() => GraphQLISODateTime)
  lastPushedAt!: Date;

  isPublic!: boolean;
  namespaceId!: number;
  namespaceName!: string;
  namespaceOwnerId!: number | null;
}

@ObjectType({ simpleResolvers: true })
export class RepositoryConnection extends Connection(Repository) {
  filter!: RepositoryFilter;
}
