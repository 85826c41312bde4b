import { digestOf, mediaTypes } from './image';

/** Every manifest type the registry stores, so it serves each as pushed and converts nothing. */
const acceptEverything = [mediaTypes.ociManifest, mediaTypes.ociIndex, mediaTypes.dockerManifest, mediaTypes.dockerList].join(', ');

export interface ServedManifest {
  status: number;
  /** The registry's Docker-Content-Digest header. */
  digest: string | null;
  /** sha256 of the bytes served, which must equal the header. */
  bodyDigest: string;
  mediaType: string | null;
  body: any;
}

/** GET /v2/<repository>/manifests/<reference>, as a client would (the registry sends a pull event for it). */
export async function getManifest(
  registryUrl: string,
  repository: string,
  reference: string,
  accept = acceptEverything,
  authorization?: string,
): Promise<ServedManifest> {
  const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, { headers: { accept, ...(authorization ? { authorization } : {}) } });
  const bytes = Buffer.from(await response.arrayBuffer());
  let body: unknown = null;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    body = bytes.toString('utf8');
  }
  return {
    status: response.status,
    digest: response.headers.get('docker-content-digest'),
    bodyDigest: digestOf(bytes),
    mediaType: response.headers.get('content-type'),
    body,
  };
}

/** HEAD /v2/<repository>/manifests/<reference>: what clients send to check a manifest exists (the registry sends a pull event for it too). */
export async function headManifest(registryUrl: string, repository: string, reference: string): Promise<{ status: number; digest: string | null }> {
  const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, { method: 'HEAD', headers: { accept: acceptEverything } });
  return { status: response.status, digest: response.headers.get('docker-content-digest') };
}

/** DELETE /v2/<repository>/manifests/<digest>, straight to the registry behind Berth's back. */
export async function deleteManifest(registryUrl: string, repository: string, digest: string): Promise<number> {
  const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
  await response.arrayBuffer();
  return response.status;
}

/** GET /v2/<repository>/tags/list; [] when the repository is gone. */
export async function listTags(registryUrl: string, repository: string, authorization?: string): Promise<string[]> {
  const response = await fetch(`${registryUrl}/v2/${repository}/tags/list`, { headers: authorization ? { authorization } : {} });
  if (response.status === 404) return [];
  const body = (await response.json()) as { tags: string[] | null };
  return [...(body.tags ?? [])].sort();
}
