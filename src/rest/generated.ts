import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
  /** The `SafeInt` scalar type represents non-fractional signed whole numeric values that are considered safe as defined by the ECMAScript specification. */
  SafeInt: { input: number; output: number; }
};

/** What a personal access token may do; a password sign-in may always write. */
export type AccessTokenPermission =
  /** Pulls and reads only; every mutation answers FORBIDDEN. */
  | 'READ'
  /** Also pushes, deletes and changes whatever its account may. */
  | 'WRITE';

/** The caller's current password and the one to replace it. */
export type ChangePasswordInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The password the caller has now; BAD_USER_INPUT when wrong. */
  currentPassword: Scalars['String']['input'];
  /** The password from now on: 10 to 1024 characters. */
  newPassword: Scalars['String']['input'];
  /** Also revoke every access token of the account, at once (after a leak, say). */
  revokeTokens?: Scalars['Boolean']['input'];
};

/** The account createAccount makes. */
export type CreateAccountInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The name to sign in with; it matches ^[a-z0-9][a-z0-9_.-]{0,62}$. */
  name: Scalars['String']['input'];
  /** 10 to 1024 characters; generated and returned once when absent. */
  password?: InputMaybe<Scalars['String']['input']>;
  /** What the account may manage. */
  role?: Role;
};

/** The namespace createNamespace makes for the caller. */
export type CreateNamespaceInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The namespace's name; it matches ^[0-9a-z][0-9a-z_-]{0,28}[0-9a-z]$. */
  name: Scalars['String']['input'];
};

/** The access token createToken makes for the caller. */
export type CreateTokenInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** When the token stops signing in; null: never. */
  expiresAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** What the token is for, e.g. "CI". */
  name: Scalars['String']['input'];
  /** What the token may do; WRITE for a job that pushes or deletes. */
  permission?: AccessTokenPermission;
};

/** The repository deleteRepository deletes, with every tag. */
export type DeleteRepositoryInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The repository's namespace. */
  namespace: Scalars['String']['input'];
  /** The repository's short name, without the namespace. */
  repository: Scalars['String']['input'];
};

/** The tag deleteTag deletes: namespace/repository:tag. */
export type DeleteTagInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The repository's namespace. */
  namespace: Scalars['String']['input'];
  /** The registry deletes by digest, which removes every tag on it; when other tags share the digest the delete is refused (CONFLICT) unless this is true. */
  removeAllTagsOfDigest?: InputMaybe<Scalars['Boolean']['input']>;
  /** The repository's short name, without the namespace. */
  repository: Scalars['String']['input'];
  /** The tag name. */
  tag: Scalars['String']['input'];
};

/** Which way a list is ordered. */
export type OrderDirection =
  /** Smallest first: A to Z, oldest first. */
  | 'ASC'
  /** Largest first: Z to A, newest first. */
  | 'DESC';

/** Who may see a repository: its namespace owner only, or everyone. */
export type Publicity =
  /** Seen by the namespace's owner and by admins only. */
  | 'PRIVATE'
  /** Seen by everyone, signed in or not. */
  | 'PUBLIC';

/** How to order a list of repositories. */
export type RepositoryOrder = {
  /** Which way. */
  direction: OrderDirection;
  /** What to order by. */
  field: RepositoryOrderField;
};

/** What a list of repositories is ordered by; ties are broken by id. */
export type RepositoryOrderField =
  /** When the repository was first pushed or synced. */
  | 'CREATED_AT'
  /** When any tag of the repository last received a push. */
  | 'LAST_PUSHED_AT'
  /** The short name, without the namespace. */
  | 'NAME';

/** Which repositories a list holds. */
export type RepositoryScope =
  /** Repositories in namespaces the signed-in caller manages. */
  | 'MINE'
  /** Public repositories. */
  | 'PUBLIC'
  /** Every repository the caller may see. */
  | 'VISIBLE';

/** The account whose tokens revokeAccountTokens deletes. */
export type RevokeAccountTokensInput = {
  /** The account's name. */
  account: Scalars['String']['input'];
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
};

/** The access token revokeToken deletes. */
export type RevokeTokenInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The token's id; it must be one of the caller's tokens. */
  id: Scalars['Int']['input'];
};

/** What an account may manage. */
export type Role =
  /** Manages every namespace (and owns library) and creates accounts. */
  | 'ADMIN'
  /** Manages their own namespace. */
  | 'USER';

/** The repository setPublicity changes, and who may see it from now on. */
export type SetPublicityInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
  /** The repository's namespace. */
  namespace: Scalars['String']['input'];
  /** Who may see the repository from now on. */
  publicity: Publicity;
  /** The repository's short name, without the namespace. */
  repository: Scalars['String']['input'];
};

/** A sync takes nothing but the clientMutationId every input may carry: `syncRegistry(input: {})`. */
export type SyncRegistryInput = {
  /** Any string; the payload returns it unchanged. */
  clientMutationId?: InputMaybe<Scalars['String']['input']>;
};

/** How to order the tags of a repository. */
export type TagOrder = {
  /** Which way. */
  direction: OrderDirection;
  /** What to order by. */
  field: TagOrderField;
};

/** What the tags of a repository are ordered by; ties are broken by id. */
export type TagOrderField =
  /** The tag name. */
  | 'NAME'
  /** When the tag last received a push. */
  | 'PUSHED_AT';

export type LegacyManifestQueryVariables = Exact<{
  namespace: Scalars['String']['input'];
  name: Scalars['String']['input'];
  reference: Scalars['String']['input'];
}>;


export type LegacyManifestQuery = { __typename?: 'Query', repository: { __typename?: 'Repository', manifest: { __typename?: 'Manifest', digest: string, schemaVersion: number, architecture: string | null, os: string | null, layers: Array<{ __typename?: 'Descriptor', digest: string }>, history: Array<{ __typename?: 'HistoryEntry', created: string | null, createdBy: string | null, emptyLayer: boolean, comment: string | null }>, children: Array<{ __typename?: 'Descriptor', digest: string, platform: { __typename?: 'Platform', architecture: string, os: string } | null }> } } };

export type LegacyDeleteTagMutationVariables = Exact<{
  input: DeleteTagInput;
}>;


export type LegacyDeleteTagMutation = { __typename?: 'Mutation', deleteTag: { __typename?: 'DeleteTagPayload', repositoryRemoved: boolean } };

export type LegacyDeleteRepositoryMutationVariables = Exact<{
  input: DeleteRepositoryInput;
}>;


export type LegacyDeleteRepositoryMutation = { __typename?: 'Mutation', deleteRepository: { __typename?: 'DeleteRepositoryPayload', repositoryRemoved: boolean } };

export type LegacySetPublicityMutationVariables = Exact<{
  input: SetPublicityInput;
}>;


export type LegacySetPublicityMutation = { __typename?: 'Mutation', setPublicity: { __typename?: 'SetPublicityPayload', repository: { __typename?: 'Repository', publicity: Publicity } } };

export type LegacyNamespaceQueryVariables = Exact<{ [key: string]: never; }>;


export type LegacyNamespaceQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', account: { __typename?: 'Account', id: number } | null, namespace: { __typename?: 'Namespace', id: number, name: string } | null } };

export type LegacyCreateNamespaceMutationVariables = Exact<{
  input: CreateNamespaceInput;
}>;


export type LegacyCreateNamespaceMutation = { __typename?: 'Mutation', createNamespace: { __typename?: 'CreateNamespacePayload', namespace: { __typename?: 'Namespace', id: number, name: string } } };

export type LegacyRepositoriesQueryVariables = Exact<{
  scope: RepositoryScope;
  keywords: InputMaybe<Scalars['String']['input']>;
  first: Scalars['Int']['input'];
  after: InputMaybe<Scalars['String']['input']>;
}>;


export type LegacyRepositoriesQuery = { __typename?: 'Query', repositories: { __typename?: 'RepositoryConnection', nodes: Array<{ __typename?: 'Repository', id: number, name: string, publicity: Publicity, pullCount: number, pushCount: number, createdAt: string, updatedAt: string, namespace: { __typename?: 'Namespace', name: string }, latestTag: { __typename?: 'Tag', name: string } | null }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type LegacyTagsQueryVariables = Exact<{
  namespace: Scalars['String']['input'];
  name: Scalars['String']['input'];
  first: Scalars['Int']['input'];
  after: InputMaybe<Scalars['String']['input']>;
}>;


export type LegacyTagsQuery = { __typename?: 'Query', repository: { __typename?: 'Repository', name: string, publicity: Publicity, namespace: { __typename?: 'Namespace', name: string }, tags: { __typename?: 'TagConnection', nodes: Array<{ __typename?: 'Tag', id: number, name: string, digest: string, size: number | null, pullCount: number, pushCount: number, createdAt: string, updatedAt: string }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } } };


export const LegacyManifestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LegacyManifest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reference"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"repository"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"namespace"},"value":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"manifest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"reference"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reference"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"digest"}},{"kind":"Field","name":{"kind":"Name","value":"schemaVersion"}},{"kind":"Field","name":{"kind":"Name","value":"architecture"}},{"kind":"Field","name":{"kind":"Name","value":"os"}},{"kind":"Field","name":{"kind":"Name","value":"layers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"digest"}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}},{"kind":"Field","name":{"kind":"Name","value":"emptyLayer"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}}]}},{"kind":"Field","name":{"kind":"Name","value":"children"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"digest"}},{"kind":"Field","name":{"kind":"Name","value":"platform"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"architecture"}},{"kind":"Field","name":{"kind":"Name","value":"os"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<LegacyManifestQuery, LegacyManifestQueryVariables>;
export const LegacyDeleteTagDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LegacyDeleteTag"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteTagInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteTag"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"repositoryRemoved"}}]}}]}}]} as unknown as DocumentNode<LegacyDeleteTagMutation, LegacyDeleteTagMutationVariables>;
export const LegacyDeleteRepositoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LegacyDeleteRepository"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteRepositoryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteRepository"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"repositoryRemoved"}}]}}]}}]} as unknown as DocumentNode<LegacyDeleteRepositoryMutation, LegacyDeleteRepositoryMutationVariables>;
export const LegacySetPublicityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LegacySetPublicity"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetPublicityInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setPublicity"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"repository"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publicity"}}]}}]}}]}}]} as unknown as DocumentNode<LegacySetPublicityMutation, LegacySetPublicityMutationVariables>;
export const LegacyNamespaceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LegacyNamespace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"namespace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<LegacyNamespaceQuery, LegacyNamespaceQueryVariables>;
export const LegacyCreateNamespaceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"LegacyCreateNamespace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateNamespaceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createNamespace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"namespace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<LegacyCreateNamespaceMutation, LegacyCreateNamespaceMutationVariables>;
export const LegacyRepositoriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LegacyRepositories"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"scope"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RepositoryScope"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"keywords"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"repositories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"scope"},"value":{"kind":"Variable","name":{"kind":"Name","value":"scope"}}},{"kind":"Argument","name":{"kind":"Name","value":"keywords"},"value":{"kind":"Variable","name":{"kind":"Name","value":"keywords"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"namespace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"publicity"}},{"kind":"Field","name":{"kind":"Name","value":"pullCount"}},{"kind":"Field","name":{"kind":"Name","value":"pushCount"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"latestTag"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<LegacyRepositoriesQuery, LegacyRepositoriesQueryVariables>;
export const LegacyTagsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LegacyTags"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"repository"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"namespace"},"value":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"namespace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"publicity"}},{"kind":"Field","name":{"kind":"Name","value":"tags"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"digest"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"pullCount"}},{"kind":"Field","name":{"kind":"Name","value":"pushCount"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]} as unknown as DocumentNode<LegacyTagsQuery, LegacyTagsQueryVariables>;