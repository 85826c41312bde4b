import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { repositories, tags } from '../../src/db/schema';
import { BerthError, ErrorCode } from '../../src/errors';
import { MAX_PAGE_SIZE, afterCursor, decodeCursor, encodeCursor, keysetOrder, pageArgs } from '../../src/services/pagination';

const badInput = expect.objectContaining({ code: ErrorCode.BadUserInput });

describe('cursors', () => {
  test('a name cursor decodes to the name and id it was made from', () => {
    expect(decodeCursor(encodeCursor('library/a_b', 42), 'string')).toEqual(['library/a_b', 42]);
  });

  test('a time cursor keeps the time to the millisecond', () => {
    const time = new Date('2024-05-06T07:08:09.123Z');
    const [value, id] = decodeCursor(encodeCursor(time, 7), 'date');
    expect(value).toEqual(time);
    expect(id).toBe(7);
  });

  test('a cursor is opaque and safe in a URL', () => {
    expect(encodeCursor('a b/c?d=e&f', 1)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test.each([
    ['garbage', '!!!not a cursor!!!'],
    ['empty', ''],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
    ['an id that is not an integer', Buffer.from('["x",1.5]').toString('base64url')],
    ['a key that is not a string', Buffer.from('[1,1]').toString('base64url')],
  ])('%s is refused as bad input', (_label, cursor) => {
    expect(() => decodeCursor(cursor, 'string')).toThrow(BerthError);
    expect(() => decodeCursor(cursor, 'string')).toThrow(badInput);
  });

  test('a name cursor is refused where a time cursor is expected', () => {
    expect(() => decodeCursor(encodeCursor('registry', 1), 'date')).toThrow(badInput);
  });
});

describe('page arguments', () => {
  test('default to the given page size', () => {
    expect(pageArgs(undefined, undefined, 20)).toEqual({ first: 20, after: undefined });
    expect(pageArgs(null, 'c', 100)).toEqual({ first: 100, after: 'c' });
  });

  test('accept 0 and the maximum', () => {
    expect(pageArgs(0, null, 20).first).toBe(0);
    expect(pageArgs(MAX_PAGE_SIZE, null, 20).first).toBe(MAX_PAGE_SIZE);
  });

  test.each([[-1], [MAX_PAGE_SIZE + 1], [100_000], [1.5]])('refuse first: %p as bad input', (first) => {
    expect(() => pageArgs(first, null, 20)).toThrow(badInput);
  });
});

describe('keyset pages', () => {
  const render = (fragment: SQL) => new PgDialect().sqlToQuery(fragment);

  test('sort by the key, then by id, both in the asked direction', () => {
    expect(render(sql.join(keysetOrder(tags.pushedAt, tags.id, 'desc'), sql`, `)).sql).toBe('"tags"."pushed_at" desc, "tags"."id" desc');
    expect(render(sql.join(keysetOrder(repositories.name, repositories.id, 'asc'), sql`, `)).sql).toBe('"repositories"."name" asc, "repositories"."id" asc');
  });

  test('an ascending page starts past the cursor row, a tie on the key broken by id', () => {
    expect(render(afterCursor(encodeCursor('b', 7), repositories.name, repositories.id, 'asc'))).toMatchObject({
      sql: '("repositories"."name" > $1 or ("repositories"."name" = $2 and "repositories"."id" > $3))',
      params: ['b', 'b', 7],
    });
  });

  test('a descending page starts below the cursor row', () => {
    const time = new Date('2024-05-06T07:08:09.123Z');
    expect(render(afterCursor(encodeCursor(time, 3), tags.pushedAt, tags.id, 'desc'))).toMatchObject({
      sql: '("tags"."pushed_at" < $1 or ("tags"."pushed_at" = $2 and "tags"."id" < $3))',
      params: [time.toISOString(), time.toISOString(), 3],
    });
  });

  test('a time column refuses a name cursor as bad input', () => {
    expect(() => afterCursor(encodeCursor('registry', 1), tags.pushedAt, tags.id, 'asc')).toThrow(badInput);
  });
});
