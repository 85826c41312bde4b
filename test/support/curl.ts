/** A curl command line of a document, as the request it sends. */
export interface CurlRequest {
  /** The command as the document writes it. */
  line: string;
  method: string;
  /** Path and query, without the document's host and port. */
  path: string;
  /** `-u name:password`. */
  user?: string;
  headers: Record<string, string>;
  body?: string;
}

/** Shell words: blanks separate them and single quotes keep everything literal (the documents quote no other way). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const [, quoted, bare] of line.matchAll(/'([^']*)'|(\S+)/g)) words.push(quoted ?? bare);
  return words;
}

function parse(line: string): CurlRequest {
  const [, ...words] = shellWords(line);
  const request: CurlRequest = { line, method: '', path: '', headers: {} };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word.startsWith('-X')) request.method = word.length > 2 ? word.slice(2) : words[++i];
    else if (word === '-u') request.user = words[++i];
    else if (word === '-H') {
      const [name, ...value] = words[++i].split(':');
      request.headers[name.trim().toLowerCase()] = value.join(':').trim();
    } else if (word === '-d') request.body = words[++i];
    else if (word.startsWith('-')) throw new Error(`no support for curl's ${word} in: ${line}`);
    else {
      const url = new URL(/^https?:/.test(word) ? word : `http://${word}`);
      request.path = `${url.pathname}${url.search}`;
    }
  }
  // As curl does: -d makes a POST of a form, unless told otherwise.
  if (request.body !== undefined) request.headers['content-type'] ??= 'application/x-www-form-urlencoded';
  request.method ||= request.body === undefined ? 'GET' : 'POST';
  return request;
}

/**
 * The curl commands in a Markdown document's code blocks, in order. A line
 * ending in `\` goes on on the next, and so does a line that starts with an
 * option (the legacy document breaks a command that way).
 */
export function curlCommands(markdown: string): CurlRequest[] {
  const commands: string[] = [];
  for (const [, block] of markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    let open = false;
    for (const raw of block.replace(/\\\n\s*/g, ' ').split('\n')) {
      const line = raw.trim();
      if (line.startsWith('curl ')) commands.push(line);
      else if (open && line.startsWith('-')) commands[commands.length - 1] += ` ${line}`;
      open = line.startsWith('curl ') || (open && line.startsWith('-'));
    }
  }
  return commands.map(parse);
}
