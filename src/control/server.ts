import { lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { BerthError } from '../errors';
import { StartupError } from '../startup-error';
import { errorCode } from '../system-error';
import { decodeRequest, encodeLine, type CommandReply, type CommandRequest } from './protocol';

/** Runs one request; `progress` reaches the command line as it happens. */
export type CommandHandler = (request: CommandRequest, progress: (text: string) => void, signal: AbortSignal) => Promise<string>;

export interface ControlChannel {
  /** Stops accepting commands, interrupts those running and waits for them; the socket file goes. */
  close(): Promise<void>;
}

/** True when a process accepts connections on `socket`. */
const answers = (socket: string) =>
  new Promise<boolean>((resolve) => {
    const probe = net.connect(socket);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });

/**
 * Removes the socket a Berth that was killed left behind. This process holds
 * the data folder's lock, so no live Berth can own it; the probe makes sure
 * nothing else listens there either.
 */
async function removeStaleSocket(socket: string): Promise<void> {
  const found = await lstat(socket).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  });
  if (!found) return;
  if (!found.isSocket()) throw new StartupError(`${socket} is in the way of Berth's control socket and is not a socket: move it away`);
  if (await answers(socket)) throw new StartupError(`another process listens on ${socket}, the control socket of this data folder: stop it`);
  await unlink(socket);
}

/** Listens with the socket created mode 0600: only this OS user may connect (connecting needs write permission), at no moment anyone else. */
function listenPrivately(server: net.Server, socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // listen() binds synchronously, so the umask covers the socket and nothing else.
    const umask = process.umask(0o177);
    try {
      server.listen(socket, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(umask);
    }
  });
}

/** Resolves with the first line a client sends: its request. */
function readRequest(connection: net.Socket, stopping: AbortSignal): Promise<CommandRequest> {
  return new Promise((resolve, reject) => {
    let received = '';
    const settle = () => {
      stopping.removeEventListener('abort', stopped);
      // Later bytes are read and dropped, so that a client going away is still noticed.
      connection.off('data', onData).off('close', left).on('data', () => {});
    };
    const fail = (error: Error) => {
      settle();
      reject(error);
    };
    const stopped = () => fail(new Error('the server is stopping'));
    const left = () => fail(new Error('the command line left before sending a command'));
    const onData = (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const newline = received.indexOf('\n');
      if (newline < 0) return;
      settle();
      try {
        resolve(decodeRequest(received.slice(0, newline)));
      } catch (error) {
        reject(error as Error);
      }
    };
    stopping.addEventListener('abort', stopped, { once: true });
    connection.on('data', onData).once('close', left);
  });
}

/** What the command line shows for a failed command; anything but a refusal is logged here, with its stack. */
function failureMessage(error: unknown, stopping: AbortSignal, log: FastifyBaseLogger): string {
  if (error instanceof BerthError) return error.message;
  if (stopping.aborted) return 'the server is stopping, so the command was interrupted; run it again once Berth is back';
  log.error({ err: error }, 'a command from the command line failed');
  return `the command failed in the server: ${error instanceof Error ? error.message : String(error)} (its log has the details)`;
}

async function serveConnection(connection: net.Socket, handle: CommandHandler, stopping: AbortSignal, log: FastifyBaseLogger): Promise<void> {
  const gone = new AbortController();
  connection.once('close', () => gone.abort(new Error('the command line went away')));
  // A write after the client left fails with EPIPE; the command stops through `gone`.
  connection.on('error', () => {});
  const reply = (message: CommandReply) => {
    if (connection.writable) connection.write(encodeLine(message));
  };
  try {
    const request = await readRequest(connection, stopping);
    // Only the command's name: its arguments may hold a password.
    log.info({ command: request.command }, 'running a command from the command line');
    const text = await handle(request, (progress) => reply({ type: 'progress', text: progress }), AbortSignal.any([stopping, gone.signal]));
    reply({ type: 'result', text });
  } catch (error) {
    if (!gone.signal.aborted) reply({ type: 'error', message: failureMessage(error, stopping, log) });
  } finally {
    connection.end();
  }
}

/**
 * Listens for commands of the command line on `socket` (see protocol.ts),
 * replacing a socket a killed Berth left behind.
 */
export async function openControlChannel(socket: string, handle: CommandHandler, log: FastifyBaseLogger): Promise<ControlChannel> {
  await removeStaleSocket(socket);
  const stopping = new AbortController();
  const connections = new Set<net.Socket>();
  const running = new Set<Promise<void>>();
  const server = net.createServer({ allowHalfOpen: true }, (connection) => {
    connections.add(connection);
    connection.once('close', () => connections.delete(connection));
    const served = serveConnection(connection, handle, stopping.signal, log);
    running.add(served);
    void served.finally(() => running.delete(served));
  });
  await listenPrivately(server, socket);
  return {
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      stopping.abort();
      await Promise.allSettled(running);
      for (const connection of connections) connection.destroy();
      await closed;
    },
  };
}
