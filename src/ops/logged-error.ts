import { err as serializeError, type SerializedError } from 'pino-std-serializers';
import { withoutParameters } from '../db/query-errors';

/** The longest text a logged error carries in one field: a failed statement's SQL, or a registry's answer, can run to megabytes. */
export const MAX_LOGGED_TEXT = 2_000;

const clip = (value: unknown) =>
  typeof value === 'string' && value.length > MAX_LOGGED_TEXT ? `${value.slice(0, MAX_LOGGED_TEXT)}… (${value.length - MAX_LOGGED_TEXT} more characters)` : value;

/**
 * How every `err` Berth logs is written (the logger's serializer): without a
 * failed query's parameters, which drizzle puts in the message and on the
 * error (event payloads, hashes), and with each text field clipped, so that
 * one failure makes one line of bounded size.
 */
export function loggedError(error: Error): SerializedError {
  const serialized = serializeError(withoutParameters(error) as Error);
  // Not an error after all (a thrown string, say): as pino would log it.
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  return Object.fromEntries(Object.entries(serialized).map(([key, value]) => [key, clip(value)])) as SerializedError;
}
