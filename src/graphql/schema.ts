import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { AccountResolver, ViewerResolver } from './resolvers/account.resolver';
import { MutationResolver } from './resolvers/mutation.resolver';
import { NamespaceResolver } from './resolvers/namespace.resolver';
import { QueryResolver } from './resolvers/query.resolver';
import { ManifestResolver, RegistryResolver } from './resolvers/registry.resolver';
import { RepositoryConnectionResolver, RepositoryResolver } from './resolvers/repository.resolver';
import { TagConnectionResolver, TagResolver } from './resolvers/tag.resolver';
import { TokenResolver } from './resolvers/token.resolver';

let schema: GraphQLSchema | undefined;

/** The schema is pure (resolvers reach data only through the context), so one instance serves every app. */
export function buildBerthSchema(): GraphQLSchema {
  schema ??= buildSchemaSync({
    resolvers: [
      QueryResolver,
      MutationResolver,
      RepositoryResolver,
      RepositoryConnectionResolver,
      TagResolver,
      TagConnectionResolver,
      RegistryResolver,
      ManifestResolver,
      ViewerResolver,
      AccountResolver,
      NamespaceResolver,
      TokenResolver,
    ],
    validate: false,
  });
  return schema;
}
