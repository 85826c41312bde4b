/** Where a command's answer goes on the operator's terminal, whichever process ran it. */
export interface CommandOutput {
  /** How far a long command is: one line on stderr that rewrites itself, on a terminal only (not in a file or a pipe). */
  progress(text: string): void;
  /** Something the operator should know while the command goes on, such as a wait: one line on stderr, wherever it goes. */
  note(text: string): void;
  /** The command's result, on stdout. */
  result(text: string): void;
  /** A refused command (name taken, password too short, no registry): one line on stderr, and exit status 1. */
  refuse(message: string): void;
}

export function terminalOutput(): CommandOutput {
  const stream = process.stderr;
  let shown = false;
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return {
    progress(text) {
      if (!stream.isTTY) return;
      stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 80) - 1)}`);
      shown = true;
    },
    note(text) {
      clear();
      stream.write(`berth: ${text}\n`);
    },
    result(text) {
      clear();
      process.stdout.write(`${text}\n`);
    },
    refuse(message) {
      clear();
      process.stderr.write(`berth: ${message}\n`);
      process.exitCode = 1;
    },
  };
}
