import { graphql, type TestServer } from '../../support/harness';
import type { ManifestView } from './stored';

/** A tag as Berth lists it. */
export interface TagState {
  digest: string;
  mediaType: string;
  size: number;
  pushCount: number;
  pullCount: number;
}

/** A repository as Berth shows it through GraphQL, tags keyed by name (so a mismatch reads as a diff). */
export interface RepositoryState {
  publicity: 'PUBLIC' | 'PRIVATE';
  pushCount: number;
  pullCount: number;
  latestTag: string | null;
  tags: Record<string, TagState>;
}

const repositoryQuery = /* GraphQL */ `
  query E2eRepository($namespace: String!, $name: String!) {
    repository(namespace: $namespace, name: $name) {
      publicity
      pushCount
      pullCount
      latestTag { name }
      tags(first: 100) { nodes { name digest mediaType size pushCount pullCount } }
    }
  }
`;

/** The repository's state, or NOT_FOUND (any other error fails the test with Berth's message). */
export async function repositoryState(berth: TestServer, fullName: string, authorization: string): Promise<RepositoryState | 'NOT_FOUND'> {
  const [namespace, name] = fullName.split('/');
  const { body } = await graphql<any>(berth, repositoryQuery, { namespace, name }, authorization);
  if (body.errors?.[0]?.extensions?.code === 'NOT_FOUND') return 'NOT_FOUND';
  if (body.errors) throw new Error(`repository ${fullName}: ${JSON.stringify(body.errors)}`);
  const { latestTag, tags, ...counts } = body.data.repository;
  return {
    ...counts,
    latestTag: latestTag?.name ?? null,
    tags: Object.fromEntries(tags.nodes.map(({ name, ...tag }: TagState & { name: string }) => [name, tag])),
  };
}

const manifestQuery = /* GraphQL */ `
  query E2eManifest($namespace: String!, $name: String!, $reference: String!) {
    repository(namespace: $namespace, name: $name) {
      manifest(reference: $reference) {
        digest
        mediaType
        size
        architecture
        os
        config { digest mediaType size }
        layers { digest mediaType size }
        children { digest mediaType size platform { architecture os variant } }
        history { createdBy emptyLayer }
        pushCount
        pullCount
      }
    }
  }
`;

/** A manifest by tag or digest, with its own push and pull counts. */
export async function manifestState(berth: TestServer, fullName: string, reference: string, authorization: string) {
  const [namespace, name] = fullName.split('/');
  const { body } = await graphql<any>(berth, manifestQuery, { namespace, name, reference }, authorization);
  if (body.errors) return { errors: body.errors.map((e: { extensions?: { code?: string } }) => e.extensions?.code) };
  return body.data.repository.manifest as ManifestView & { pushCount: number; pullCount: number };
}

const deleteTagMutation = /* GraphQL */ `
  mutation E2eDeleteTag($input: DeleteTagInput!) {
    deleteTag(input: $input) { namespace repository repositoryRemoved tags { name digest } }
  }
`;

export async function deleteTag(
  berth: TestServer,
  authorization: string,
  input: { namespace: string; repository: string; tag: string; removeAllTagsOfDigest?: boolean },
) {
  return (await graphql<any>(berth, deleteTagMutation, { input }, authorization)).body;
}

const deleteRepositoryMutation = /* GraphQL */ `
  mutation E2eDeleteRepository($input: DeleteRepositoryInput!) {
    deleteRepository(input: $input) { namespace repository repositoryRemoved tags { name digest } }
  }
`;

export async function deleteRepository(berth: TestServer, authorization: string, input: { namespace: string; repository: string }) {
  return (await graphql<any>(berth, deleteRepositoryMutation, { input }, authorization)).body;
}

const syncMutation = /* GraphQL */ `
  mutation E2eSync {
    syncRegistry(input: {}) { repositoriesAdded repositoriesRemoved tagsAdded tagsMoved tagsRemoved }
  }
`;

/** Runs a sync; `data.syncRegistry` says what it changed. */
export async function syncRegistry(berth: TestServer, authorization: string) {
  return (await graphql<any>(berth, syncMutation, {}, authorization)).body;
}

/** GET a legacy /registry/v1 route and return its JSON envelope. */
export async function legacy(berth: TestServer, route: string, authorization?: string, method = 'GET') {
  const response = await fetch(`${berth.url}/registry/v1${route}`, { method, headers: authorization ? { authorization } : {} });
  return { status: response.status, body: (await response.json()) as any };
}
