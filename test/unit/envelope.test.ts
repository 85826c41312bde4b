import { BerthError } from '../../src/errors';
import { parseEnvelope } from '../../src/ingest/envelope';
import { splitRepository } from '../../src/registry/names';
import { byFile, envelopes } from '../support/registry-events';

test('every envelope Distribution 2.8.2 sent in the captured scenario parses, with its nanosecond timestamps', () => {
  expect(envelopes).toHaveLength(129);
  for (const envelope of envelopes) {
    const [event, ...rest] = parseEnvelope(JSON.parse(envelope.body));
    expect(rest).toEqual([]);
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(event.timestamp.getTime())).toBe(false);
  }
  const [push] = parseEnvelope(JSON.parse(envelopes.find((e) => e.file.startsWith('0003'))!.body));
  expect(push).toMatchObject({
    action: 'push',
    timestamp: new Date('2026-11-27T09:19:06.325Z'),
    target: { repository: 'library/hello', tag: '1.0', mediaType: 'application/vnd.oci.image.manifest.v1+json' },
    request: { method: 'PUT', useragent: 'skopeo/1.9.3' },
    actor: undefined,
  });
  // Tag deletes carry no digest, digest deletes no media type.
  const [tagDelete] = parseEnvelope(JSON.parse(envelopes.find((e) => e.file.startsWith('0119'))!.body));
  expect(tagDelete.target).toEqual({ repository: 'library/hello', tag: 'latest', digest: undefined, mediaType: undefined, size: undefined, references: undefined });
});

test('references (includereferences: true) are read when well formed', () => {
  const event = JSON.parse(envelopes[2].body).events[0];
  const references = [{ mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 10 }];
  expect(parseEnvelope({ events: [{ ...event, target: { ...event.target, references } }] })[0].target.references).toEqual(references);
});

// Token auth puts the JWT sub in actor.name; anonymous events carry {} (as captured). A malformed actor is no reason to refuse the delivery.
test.each([
  [{ name: 'alice' }, 'alice'],
  [{}, undefined],
  [{ name: '' }, undefined],
  [{ name: 7 }, undefined],
  ['alice', undefined],
  [undefined, undefined],
])('actor %p reads as %p, and the envelope is accepted', (actor, expected) => {
  const event = { ...JSON.parse(byFile('0003').body).events[0], actor };
  expect(parseEnvelope({ events: [event] })[0].actor).toBe(expected);
});

test.each([
  ['a string', 'x', /JSON object/],
  ['no events', {}, /no "events" array/],
  ['an event that is not an object', { events: [1] }, /events\[0\] is not an object/],
  ['an action missing', { events: [{ id: 'x', timestamp: '2026-11-27T09:19:06Z', target: { repository: 'a/b' } }] }, /action/],
  ['a time without zone', { events: [{ id: 'x', action: 'push', timestamp: '2026-11-27T09:19:06', target: { repository: 'a/b' } }] }, /timestamp/],
  ['no target', { events: [{ id: 'x', action: 'push', timestamp: '2026-11-27T09:19:06Z' }] }, /target must be an object/],
  ['a negative size', { events: [{ id: 'x', action: 'push', timestamp: '2026-11-27T09:19:06Z', target: { repository: 'a/b', size: -1 } }] }, /size/],
])('rejects an envelope with %s, saying why', (_name, body, reason) => {
  expect(() => parseEnvelope(body)).toThrow(BerthError);
  expect(() => parseEnvelope(body)).toThrow(reason);
});

test('only namespace/name repositories are shown, as on the legacy server', () => {
  expect(splitRepository('library/hello')).toEqual({ namespace: 'library', name: 'hello' });
  expect(splitRepository('a.b/c__d-e')).toEqual({ namespace: 'a.b', name: 'c__d-e' });
  expect(splitRepository('hello')).toBeNull();
  expect(splitRepository('a/b/c')).toBeNull();
  expect(splitRepository('Upper/case')).toBeNull();
});
