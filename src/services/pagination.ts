import { and, asc, desc, eq, gt, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { badInput } from '../errors';

/** Relay-style forward pagination: `first` items after the opaque `after` cursor. */
export interface PageArgs {
  first: number;
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  cursorOf(node: T): string;
}

export type OrderDirection = 'asc' | 'desc';

/** How a list is ordered: by one field, ties broken by id. */
export interface Order<Field extends string> {
  field: Field;
  direction: OrderDirection;
}

export const MAX_PAGE_SIZE = 500;

/** Page sizes when `first` is absent. */
export const REPOSITORY_PAGE_SIZE = 20;
export const TAG_PAGE_SIZE = 100;

export function pageArgs(first: number | null | undefined, after: string | null | undefined, fallback: number): PageArgs {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput(`first must be an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  return { first: size, after };
}

/** A cursor is the sort key of the last row seen plus its id, so pages stay stable under inserts. */
export function encodeCursor(value: string | Date, id: number): string {
  const key = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string, kind: 'string' | 'date'): [string | Date, number] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('after is not a cursor this list returned');
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !Number.isInteger(parsed[1])) {
    throw badInput('after is not a cursor this list returned');
  }
  if (kind === 'string') return [parsed[0], parsed[1]];
  const date = new Date(parsed[0]);
  if (Number.isNaN(date.getTime())) throw badInput('after is not a cursor this list returned');
  return [date, parsed[1]];
}

/** The order of a paginated list: by `column`, then by `id` to break ties, both in `direction`. */
export function keysetOrder(column: PgColumn, id: PgColumn, direction: OrderDirection): SQL[] {
  const sort = direction === 'asc' ? asc : desc;
  return [sort(column), sort(id)];
}

/** The rows past `cursor` in the `keysetOrder` of the same columns; a time column takes a time cursor. */
export function afterCursor(cursor: string, column: PgColumn, id: PgColumn, direction: OrderDirection): SQL {
  const [value, lastId] = decodeCursor(cursor, column.dataType === 'date' ? 'date' : 'string');
  const beyond = direction === 'asc' ? gt : lt;
  return or(beyond(column, value), and(eq(column, value), beyond(id, lastId)))!;
}
