import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CommandOutput } from '../cli/terminal';
import { UnreachableCaseError } from '../errors';
import { StartupError } from '../startup-error';
import { errorCode } from '../system-error';
import { encodeLine, type CommandReply, type CommandRequest } from './protocol';

/** Connects to the control socket; null when no server listens there (no socket, or one a killed server left behind). */
function connect(socket: string): Promise<net.Socket | null> {
  return new Promise((resolve, reject) => {
    const connection = net.connect(socket);
    connection.once('connect', () => {
      connection.off('error', failed);
      resolve(connection);
    });
    const failed = (error: Error) => {
      const code = errorCode(error);
      // The socket may be named relative to the working directory (see controlSocketOf); messages name it in full.
      const where = path.resolve(socket);
      if (code === 'ENOENT' || code === 'ECONNREFUSED') resolve(null);
      else if (code === 'EACCES') reject(new StartupError(`the Berth server's control socket ${where} belongs to another user: run the command as the user that runs Berth`));
      else reject(new StartupError(`cannot reach the Berth server through ${where}: ${error.message}`));
    };
    connection.once('error', failed);
  });
}

/**
 * Hands a command to the Berth server listening on `socket` and relays its
 * progress and answer to `output`. False when no server listens, so the
 * command line opens the database itself.
 */
export async function handToServer(socket: string, request: CommandRequest, output: CommandOutput): Promise<boolean> {
  const connection = await connect(socket);
  if (!connection) return false;
  // Not ended after the request: the server takes a closed connection for a command line that went away, and stops the command.
  connection.write(encodeLine(request));
  let answered = false;
  try {
    for await (const line of createInterface({ input: connection, crlfDelay: Infinity })) {
      const reply = JSON.parse(line) as CommandReply;
      switch (reply.type) {
        case 'progress':
          output.progress(reply.text);
          break;
        case 'result':
          output.result(reply.text);
          answered = true;
          break;
        case 'error':
          output.refuse(reply.message);
          answered = true;
          break;
        default:
          throw new UnreachableCaseError(reply);
      }
    }
  } catch (error) {
    if (!answered) output.refuse(`lost the connection to the Berth server: ${error instanceof Error ? error.message : String(error)}`);
    return true;
  } finally {
    connection.destroy();
  }
  if (!answered) output.refuse("the Berth server closed the connection before the command finished (the server's log says why)");
  return true;
}
