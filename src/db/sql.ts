import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * `column = any($1)`: a whole list as one array parameter, where `inArray`
 * writes one parameter per item. The statement text is then the same for
 * every length, so PostgreSQL prepares and plans it once (db/client.ts).
 */
export function anyOf(column: PgColumn, values: readonly (number | string)[]): SQL {
  return sql`${column} = any(${sql.param([...values])})`;
}

/** `(repository, text) IN (…)`: one condition for many keys, as two array parameters (see db/sql.ts); false for none. */
export function pairIn(repositoryColumn: PgColumn, textColumn: PgColumn, pairs: [number, string][]): SQL {
  if (pairs.length === 0) return sql`false`;
  const ids = sql.param(pairs.map(([id]) => id));
  const texts = sql.param(pairs.map(([, text]) => text));
  return sql`(${repositoryColumn}, ${textColumn}) in (select * from unnest(${ids}::integer[], ${texts}::text[]))`;
}

/** U+0000 and lone surrogates (`"\ud800"` is valid JSON), which PostgreSQL's text and jsonb cannot store, and UTF-8 cannot encode. */
export const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** PostgreSQL text cannot hold NUL, so no stored name contains one: input with it matches nothing (and must not reach SQL). */
export const storable = (text: string) => !text.includes('\0');

/**
 * A manifest's `children` list `digest`: the test for a child of a multi-arch
 * index. The cast lets `digest` be a text column or a parameter alike.
 */
export const listsChild = (children: SQLWrapper, digest: SQLWrapper | string): SQL =>
  sql`${children} @> jsonb_build_array(jsonb_build_object('digest', ${digest}::text))`;

/** Code-point order of keys, the same in every process (localeCompare is not): rows written in it are locked in it. */
export const keyOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Takes the locks of these repositories (by `namespace/name`) until the
 * transaction ends, in one order everywhere (drizzle/0006_pending_pulls.sql).
 * Every write path takes them before any row lock, so paths that meet on a
 * repository queue up rather than deadlock.
 */
export async function lockRepositories(tx: { execute(query: SQL): Promise<unknown> }, names: readonly string[]): Promise<void> {
  await tx.execute(sql`select lock_repositories(${sql.param([...names])}::text[])`);
}

/** Counts the pending pulls of these repositories whose manifests now exist (drizzle/0006_pending_pulls.sql). */
export async function applyPendingPulls(tx: { execute(query: SQL): Promise<unknown> }, names: readonly string[]): Promise<void> {
  await tx.execute(sql`select apply_pending_pulls(${sql.param([...names])}::text[])`);
}
