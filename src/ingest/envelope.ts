import type { Descriptor } from '../db/schema';
import { UNSTORABLE } from '../db/sql';
import { isJsonObject } from '../json';
import { badInput, payloadTooLarge } from '../errors';
import { isRepositoryName, NAME_LENGTH } from '../registry/names';

/** One event of a Docker Distribution notification envelope, as Berth reads it. */
export interface RegistryEvent {
  id: string;
  /** When it happened: the registry's time, or the delivery's arrival when that is earlier. */
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
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
/** Distribution's tag grammar. */
const TAG = /^\w[\w.-]{0,127}$/;
/** The encoded length of each registered digest algorithm, in lowercase hex. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

/**
 * How far ahead of Berth's clock an event may be dated. A push dated years
 * ahead would pin its tag for good (a tag moves only to a newer push), so
 * such an event is refused; registry clocks a little fast still pass.
 */
export const MAX_FUTURE_SKEW_MS = 15 * 60_000;
/** Distribution sends one event per envelope, a few at most; thousands would hold the database for seconds. */
export const MAX_EVENTS = 100;

/**
 * Checks a whole envelope before anything is recorded, so a malformed one
 * changes nothing; the error names the first problem found.
 */
export function parseEnvelope(body: unknown): RegistryEvent[] {
  if (!isJsonObject(body)) throw badInput('the body must be a JSON object like {"events": [...]}');
  if (!Array.isArray(body.events)) throw badInput('the envelope has no "events" array');
  if (body.events.length === 0) throw badInput('the envelope holds no events');
  if (body.events.length > MAX_EVENTS) throw payloadTooLarge(`an envelope holds at most ${MAX_EVENTS} events, this one ${body.events.length}`);
  const receivedAt = Date.now();
  return body.events.map((event, index) => parseEvent(event, `events[${index}]`, receivedAt));
}


const UNSTORABLE_TEXT = 'holds a NUL character (\\u0000) or a lone surrogate, which cannot be stored';

/** Distribution's events nest five levels deep; far deeper is no registry's, and would exhaust a recursive reader's stack. */
export const MAX_EVENT_DEPTH = 32;

/**
 * Why an event cannot be stored, if it cannot: nested deeper than
 * MAX_EVENT_DEPTH, or a string anywhere holding a character PostgreSQL cannot
 * store. Walked with a stack of its own, so no depth can overflow Node's.
 */
function unstorable(event: Record<string, unknown>): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value: event, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string' && UNSTORABLE.test(value)) return UNSTORABLE_TEXT;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_EVENT_DEPTH) return `is nested more than ${MAX_EVENT_DEPTH} levels deep`;
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) return UNSTORABLE_TEXT;
      pending.push({ value: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/** A real instant: RFC 3339, a calendar date (no 30 February), from 1970 on, and not far ahead of Berth's clock. */
function timestampProblem(text: string): string | undefined {
  const parts = RFC3339.exec(text);
  if (!parts) return 'must be an RFC 3339 time';
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return 'is not a real date and time';
  // A zone offset is at most ±23:59 (RFC 3339); beyond it there is no instant to store.
  const [offsetHours, offsetMinutes] = parts[8].toUpperCase() === 'Z' ? [0, 0] : parts[8].slice(1).split(':').map(Number);
  if (offsetHours > 23 || offsetMinutes > 59 || Number.isNaN(Date.parse(text))) return 'has a zone offset that is not one (at most ±23:59)';
  if (Date.parse(text) > Date.now() + MAX_FUTURE_SKEW_MS) return `is more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes ahead of Berth's clock`;
  return undefined;
}

/** Digests as the OCI grammar writes them, with the exact length of a registered algorithm. */
function isDigest(text: string): boolean {
  if (text.length > 255 || !DIGEST.test(text)) return false;
  const [algorithm, encoded] = text.split(':');
  const length = DIGEST_HEX_LENGTH[algorithm];
  return length === undefined || (encoded.length === length && /^[a-f0-9]+$/.test(encoded));
}

function parseEvent(event: unknown, where: string, receivedAt: number): RegistryEvent {
  if (!isJsonObject(event)) throw badInput(`${where} is not an object`);
  // Refused here, it is a bad delivery (400); left to the database, it would fail as an error on every retry.
  const problem = unstorable(event);
  if (problem) throw badInput(`${where} ${problem}`);
  const id = optionalString(event.id);
  if (!id || id.length > 200) throw badInput(`${where}.id must be a non-empty string`);
  const action = optionalString(event.action);
  if (!action) throw badInput(`${where}.action must be a non-empty string`);
  const timestamp = typeof event.timestamp === 'string' ? event.timestamp : '';
  const timeProblem = timestampProblem(timestamp);
  if (timeProblem) throw badInput(`${where}.timestamp ${timeProblem}`);
  if (!isJsonObject(event.target)) throw badInput(`${where}.target must be an object`);
  const repository = optionalString(event.target.repository);
  if (!repository || !isRepositoryName(repository)) throw badInput(`${where}.target.repository must be a repository name (lowercase components separated by "/", at most ${NAME_LENGTH} characters)`);
  const digest = optionalString(event.target.digest);
  if (digest !== undefined && !isDigest(digest)) throw badInput(`${where}.target.digest is not a digest`);
  const tag = optionalString(event.target.tag);
  if (tag !== undefined && !TAG.test(tag)) throw badInput(`${where}.target.tag must be a tag (a word character, then up to 127 word characters, "." or "-")`);
  const size = event.target.size;
  if (size !== undefined && (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)) {
    throw badInput(`${where}.target.size must be a non-negative integer`);
  }
  // Like request, actor is informational: a malformed one reads as absent rather than a 400 the registry would retry forever.
  const request = isJsonObject(event.request) ? event.request : {};
  const actor = isJsonObject(event.actor) ? optionalString(event.actor.name) : undefined;
  return {
    id,
    // An event dated ahead of Berth's clock happened, for Berth, when it arrived: a registry clock running fast cannot pin a tag.
    timestamp: new Date(Math.min(Date.parse(timestamp), receivedAt)),
    action,
    target: {
      repository,
      mediaType: optionalString(event.target.mediaType),
      digest,
      tag,
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
    (d): d is Descriptor => isJsonObject(d) && typeof d.digest === 'string' && isDigest(d.digest) && typeof d.size === 'number' && typeof d.mediaType === 'string',
  );
  return references.length === value.length ? references.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })) : undefined;
}
