import type { Descriptor } from '../db/schema';
import { isJsonObject } from '../json';
import { badInput } from '../errors';

/** One event of a Docker Distribution notification envelope, as Berth reads it. */
export interface RegistryEvent {
  id: string;
  timestamp: Date;
  /** push | pull | mount | delete; anything else is recorded and otherwise ignored. */
  action: string;
  target: {
    repository: string;
    mediaType?: string;
    digest?: string;
    tag?: string;
    size?: number;
    /** Present when the registry endpoint has `includereferences: true`: config then layers, or an index's children. */
    references?: Descriptor[];
  };
  request: { method?: string; useragent?: string };
  /** The account that made the request (`actor.name`, the token's subject); absent when anonymous or without token auth. */
  actor?: string;
  /** The event exactly as received, kept with the record. */
  raw: Record<string, unknown>;
}

const optionalString = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** Digests are algorithm:encoded, as the OCI spec and the manifests table's check constraint define them. */
const DIGEST = /^[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
/** RFC 3339 with a zone: the registry sends UTC with up to nine fraction digits. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Checks a whole envelope before anything is recorded, so a malformed one
 * changes nothing; the error names the first problem found.
 */
export function parseEnvelope(body: unknown): RegistryEvent[] {
  if (!isJsonObject(body)) throw badInput('the body must be a JSON object like {"events": [...]}');
  if (!Array.isArray(body.events)) throw badInput('the envelope has no "events" array');
  if (body.events.length === 0) throw badInput('the envelope holds no events');
  return body.events.map((event, index) => parseEvent(event, `events[${index}]`));
}

/** True when a string anywhere in `value` holds U+0000, which PostgreSQL's text and jsonb cannot store. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(holdsNul);
  return isJsonObject(value) && Object.entries(value).some(([key, item]) => key.includes('\0') || holdsNul(item));
}

function parseEvent(event: unknown, where: string): RegistryEvent {
  if (!isJsonObject(event)) throw badInput(`${where} is not an object`);
  // Refused here, it is a bad delivery (400); left to the database, it would fail as an error on every retry.
  if (holdsNul(event)) throw badInput(`${where} holds a NUL character (\\u0000), which cannot be stored`);
  const id = optionalString(event.id);
  if (!id || id.length > 200) throw badInput(`${where}.id must be a non-empty string`);
  const action = optionalString(event.action);
  if (!action) throw badInput(`${where}.action must be a non-empty string`);
  if (typeof event.timestamp !== 'string' || !RFC3339.test(event.timestamp) || Number.isNaN(Date.parse(event.timestamp))) {
    throw badInput(`${where}.timestamp must be an RFC 3339 time`);
  }
  if (!isJsonObject(event.target)) throw badInput(`${where}.target must be an object`);
  const repository = optionalString(event.target.repository);
  if (!repository) throw badInput(`${where}.target.repository must be a non-empty string`);
  const digest = optionalString(event.target.digest);
  if (digest !== undefined && !DIGEST.test(digest)) throw badInput(`${where}.target.digest is not a digest`);
  const size = event.target.size;
  if (size !== undefined && (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)) {
    throw badInput(`${where}.target.size must be a non-negative integer`);
  }
  // Like request, actor is informational: a malformed one reads as absent rather than a 400 the registry would retry forever.
  const request = isJsonObject(event.request) ? event.request : {};
  const actor = isJsonObject(event.actor) ? optionalString(event.actor.name) : undefined;
  return {
    id,
    timestamp: new Date(event.timestamp),
    action,
    target: {
      repository,
      mediaType: optionalString(event.target.mediaType),
      digest,
      tag: optionalString(event.target.tag),
      size: size as number | undefined,
      references: referencesOf(event.target.references),
    },
    request: { method: optionalString(request.method)?.toUpperCase(), useragent: optionalString(request.useragent) },
    actor,
    raw: event,
  };
}

function referencesOf(value: unknown): Descriptor[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const references = value.filter(
    (d): d is Descriptor => isJsonObject(d) && typeof d.digest === 'string' && DIGEST.test(d.digest) && typeof d.size === 'number' && typeof d.mediaType === 'string',
  );
  return references.length === value.length ? references.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })) : undefined;
}
