import type { Descriptor, HistoryEntry, Platform } from '../db/schema';
import { isJsonObject } from '../json';
import { isIndexMediaType } from './media-types';

/** What Berth keeps of a manifest body. */
export interface ParsedManifest {
  schemaVersion: number;
  config: Descriptor | null;
  layers: Descriptor[];
  /** For an index: the child manifests with their platforms. */
  children: Descriptor[];
}

/** What Berth keeps of an image config. */
export interface ParsedConfig {
  architecture: string | null;
  os: string | null;
  history: HistoryEntry[];
}

export class ImageFormatError extends Error {}


function descriptor(value: unknown, where: string): Descriptor {
  if (!isJsonObject(value) || typeof value.digest !== 'string' || typeof value.size !== 'number') {
    throw new ImageFormatError(`${where} is not a descriptor with digest and size`);
  }
  const result: Descriptor = { mediaType: typeof value.mediaType === 'string' ? value.mediaType : '', digest: value.digest, size: value.size };
  const platform = platformOf(value.platform);
  if (platform) result.platform = platform;
  return result;
}

function platformOf(value: unknown): Platform | undefined {
  if (!isJsonObject(value) || typeof value.architecture !== 'string' || typeof value.os !== 'string') return undefined;
  const platform: Platform = { architecture: value.architecture, os: value.os };
  if (typeof value.variant === 'string') platform.variant = value.variant;
  if (typeof value['os.version'] === 'string') platform['os.version'] = value['os.version'];
  return platform;
}

/** A blob that must hold one JSON object; `what` names it in the error. */
function jsonObject(body: Buffer, what: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ImageFormatError(`${what} is not JSON`);
  }
  if (!isJsonObject(json)) throw new ImageFormatError(`${what} is not a JSON object`);
  return json;
}

/** Reads an OCI manifest or index, or a Docker schema 2 manifest or manifest list. */
export function parseManifest(body: Buffer, mediaType: string): ParsedManifest {
  const json = jsonObject(body, 'manifest');
  const schemaVersion = typeof json.schemaVersion === 'number' ? json.schemaVersion : 2;
  const list = (value: unknown, where: string) => (Array.isArray(value) ? value.map((d, i) => descriptor(d, `${where}[${i}]`)) : []);
  if (isIndexMediaType(mediaType) || (Array.isArray(json.manifests) && !json.config)) {
    return { schemaVersion, config: null, layers: [], children: list(json.manifests, 'manifests') };
  }
  return { schemaVersion, config: descriptor(json.config, 'config'), layers: list(json.layers, 'layers'), children: [] };
}

/** Reads architecture, os and history from an image config blob; a config without them gives nulls and no history. */
export function parseConfig(body: Buffer): ParsedConfig {
  const json = jsonObject(body, 'image config');
  const history = Array.isArray(json.history)
    ? json.history.filter(isJsonObject).map((h) => {
        const entry: HistoryEntry = { emptyLayer: h.empty_layer === true };
        if (typeof h.created === 'string') entry.created = h.created;
        if (typeof h.created_by === 'string') entry.createdBy = h.created_by;
        if (typeof h.comment === 'string') entry.comment = h.comment;
        return entry;
      })
    : [];
  return {
    architecture: typeof json.architecture === 'string' ? json.architecture : null,
    os: typeof json.os === 'string' ? json.os : null,
    history,
  };
}

/** The bytes an image takes: its config plus its layers. */
export const imageSize = (manifest: Pick<ParsedManifest, 'config' | 'layers'>) =>
  (manifest.config?.size ?? 0) + manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
