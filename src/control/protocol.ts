import path from 'node:path';
import { badInput } from '../errors';

/**
 * The local control channel: a running Berth on embedded PGlite holds its
 * data folder's lock, so the command line cannot open the database beside
 * it; instead it hands each command to the server over a Unix socket beside
 * the folder (`<dataDir>.sock`, like the lock `<dataDir>.lock`). The client
 * sends one request line; the server answers with progress lines and ends
 * with one result or error line (NDJSON).
 */
export interface CommandRequest {
  command: string;
  args: object;
}

export type CommandReply = { type: 'progress'; text: string } | { type: 'result'; text: string } | { type: 'error'; message: string };

/** Longest Unix socket path; Linux allows 107 bytes, macOS 103. */
const MAX_SOCKET_PATH = 103;

/**
 * The control socket of a data folder, as this process can name it: the
 * absolute path, or, when that is too long for a socket, the path relative
 * to the working directory (the kernel resolves it from there). Null for an
 * in-memory database, or when neither fits; the server then runs without
 * one, and the command line finds the folder locked.
 */
export function controlSocketOf(dataDir: string): string | null {
  if (dataDir.startsWith('memory://')) return null;
  const absolute = `${path.resolve(dataDir)}.sock`;
  const relative = path.relative(process.cwd(), absolute);
  const shortest = relative.length < absolute.length ? relative : absolute;
  return Buffer.byteLength(shortest) <= MAX_SOCKET_PATH ? shortest : null;
}

export const encodeLine = (message: CommandRequest | CommandReply) => `${JSON.stringify(message)}\n`;

export function decodeRequest(line: string): CommandRequest {
  let request: Partial<CommandRequest> | null = null;
  try {
    request = JSON.parse(line) as Partial<CommandRequest> | null;
  } catch {
    // Refused below, like any other line that is not a request.
  }
  if (typeof request?.command !== 'string' || typeof request.args !== 'object' || request.args === null) {
    throw badInput('the request is not one the command line sends');
  }
  return { command: request.command, args: request.args };
}
