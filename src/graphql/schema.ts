import 'reflect-metadata';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { refuseReadOnly } from '../auth/access';
import type { Context } from './context';
import { AccountResolver } from './resolvers/account.resolver';
import { ManifestResolver } from './resolvers/manifest.resolver';
import { NamespaceResolver } from './resolvers/namespace.resolver';
import { QueryResolver } from './resolvers/query.resolver';
import { RepositoryConnectionResolver, RepositoryResolver } from './resolvers/repository.resolver';
import { SyncResolver } from './resolvers/sync.resolver';
import { TagConnectionResolver, TagResolver } from './resolvers/tag.resolver';
import { TokenResolver } from './resolvers/token.resolver';
import { ViewerResolver } from './resolvers/viewer.resolver';

let schema: GraphQLSchema | undefined;

/** GraphiQL's docs explorer opens on the root types, and type-graphql has no option to describe them. */
function describeRootTypes(built: GraphQLSchema): GraphQLSchema {
  built.getQueryType()!.description = 'What Berth knows of the registry: repositories with their tags and manifests, and the caller.';
  built.getMutationType()!.description = 'Changes to accounts, tokens, namespaces and repositories; each mutation takes one input and answers one payload.';
  return built;
}

/**
 * Every mutation refuses a read-only viewer before its resolver runs, so no
 * mutation, present or future, can forget to; /graphql and the legacy routes
 * run this one schema. Wrapped here rather than in a type-graphql global
 * middleware, which would also run, asynchronously, for every resolved field
 * of every query.
 */
function refuseReadOnlyMutations(built: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(built.getMutationType()!.getFields())) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (root, args, context: Context, info) => {
      refuseReadOnly(context.viewer);
      return resolve(root, args, context, info);
    };
  }
  return built;
}

/** The schema is pure (resolvers reach data only through the context), so one instance serves every app. */
export function buildBerthSchema(): GraphQLSchema {
  schema ??= refuseReadOnlyMutations(
    describeRootTypes(
      buildSchemaSync({
        resolvers: [
          QueryResolver,
          RepositoryResolver,
          RepositoryConnectionResolver,
          TagResolver,
          TagConnectionResolver,
          ManifestResolver,
          SyncResolver,
          ViewerResolver,
          AccountResolver,
          NamespaceResolver,
          TokenResolver,
        ],
        validate: false,
      }),
    ),
  );
  return schema;
}
