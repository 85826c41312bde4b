import { createHash } from 'node:crypto';

/**
 * The legacy manifest route answered Docker's schema-1 shape. Berth stores
 * modern (schema 2 / OCI) manifests, so it builds that shape the way
 * Distribution's own schema2-to-schema1 converter does: one fsLayer and one
 * history entry per config history step, newest first, with the empty tar
 * standing in for steps that added no layer.
 */
export const EMPTY_LAYER_DIGEST = 'sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4';

export interface Schema1Source {
  name: string;
  tag: string;
  architecture: string | null;
  os: string | null;
  layers: { digest: string }[];
  history: { created?: string | null; createdBy?: string | null; emptyLayer: boolean; comment?: string | null }[];
}

export function toSchema1(source: Schema1Source) {
  // Without a recorded history every layer is a step of its own.
  const steps = source.history.length > 0 ? source.history : source.layers.map(() => ({ emptyLayer: false }) as Schema1Source['history'][number]);
  let layerIndex = 0;
  let parent = '';
  const entries = steps.map((step, index) => {
    const blobSum = step.emptyLayer ? EMPTY_LAYER_DIGEST : (source.layers[layerIndex++]?.digest ?? EMPTY_LAYER_DIGEST);
    const id = createHash('sha256').update(`${parent} ${blobSum} ${index}`).digest('hex');
    const v1: Record<string, unknown> = { id };
    if (parent) v1.parent = parent;
    if (step.comment) v1.comment = step.comment;
    if (step.created) v1.created = step.created;
    v1.container_config = { Cmd: step.createdBy ? [step.createdBy] : [] };
    if (step.emptyLayer) v1.throwaway = true;
    parent = id;
    return { blobSum, v1 };
  });
  const top = entries[entries.length - 1];
  if (top) Object.assign(top.v1, { architecture: source.architecture ?? 'amd64', os: source.os ?? 'linux' });
  entries.reverse();
  return {
    architecture: source.architecture ?? 'amd64',
    fsLayers: entries.map((e) => ({ blobSum: e.blobSum })),
    history: entries.map((e) => ({ v1Compatibility: JSON.stringify(e.v1) })),
    name: source.name,
    schemaVersion: 1,
    tag: source.tag,
  };
}
