import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { TestServer } from './harness';
import { FIXTURES } from './replay-registry';

const EVENTS = path.join(FIXTURES, 'events');

/** One captured delivery: the exact body Distribution 2.8.2 sent, and the headers it sent it with. */
export interface CapturedEnvelope {
  file: string;
  body: string;
  headers: Record<string, string>;
}

interface IndexLine {
  file?: string;
  rawHeaders?: string[];
  mark?: string;
}

const index = readFileSync(path.join(EVENTS, '_index.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as IndexLine);

/** Every captured envelope in delivery order. */
export const envelopes: CapturedEnvelope[] = readdirSync(EVENTS)
  .filter((f) => /^\d{4}-.*\.json$/.test(f))
  .sort()
  .map((file) => {
    const raw = index.find((line) => line.file === file)?.rawHeaders ?? [];
    const headers: Record<string, string> = {};
    for (let i = 0; i < raw.length; i += 2) headers[raw[i].toLowerCase()] = raw[i + 1];
    return { file, body: readFileSync(path.join(EVENTS, file), 'utf8'), headers };
  });

/** The envelopes delivered between two test-step marks of the capture (`end` exclusive; undefined = to the end). */
export function between(start: string, end?: string): CapturedEnvelope[] {
  const files: string[] = [];
  let inside = false;
  for (const line of index) {
    if (line.mark === start) inside = true;
    else if (line.mark && line.mark === end) inside = false;
    else if (inside && line.file) files.push(line.file);
  }
  return envelopes.filter((e) => files.includes(e.file));
}

export const byFile = (prefix: string) => envelopes.find((e) => e.file.startsWith(prefix))!;

/** The secret the capture's registry sent (`Authorization: Bearer webhook-secret`). */
export const CAPTURED_SECRET = 'webhook-secret';

/** Delivers an envelope the way the registry did: same body, same headers (Authorization and Content-Type included). */
export async function deliver(server: TestServer, envelope: CapturedEnvelope | string, headers: Record<string, string | undefined> = {}) {
  const captured = typeof envelope === 'string' ? undefined : envelope;
  const base: Record<string, string> = captured
    ? { authorization: captured.headers.authorization, 'content-type': captured.headers['content-type'], 'user-agent': captured.headers['user-agent'] }
    : { authorization: `Bearer ${CAPTURED_SECRET}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' };
  const merged = Object.fromEntries(Object.entries({ ...base, ...headers }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(`${server.url}/registry/v1/notifications`, {
    method: 'POST',
    headers: merged,
    body: captured ? captured.body : (envelope as string),
  });
  return { status: response.status, body: (await response.json()) as { code: number; data?: { recorded: number; duplicates: number }; message?: string } };
}

/** Delivers envelopes one after another, as the registry's single in-flight queue does; every one must be accepted. */
export async function deliverAll(server: TestServer, list: CapturedEnvelope[]) {
  for (const envelope of list) {
    const { status, body } = await deliver(server, envelope);
    if (status !== 200) throw new Error(`${envelope.file} answered ${status}: ${JSON.stringify(body)}`);
  }
}

/** An envelope of one event built from a captured one, with changes (new id, other tag or time...). */
export function variant(envelope: CapturedEnvelope, change: (event: any) => void): string {
  const parsed = JSON.parse(envelope.body);
  change(parsed.events[0]);
  return JSON.stringify(parsed);
}
