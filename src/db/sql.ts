import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * `column = any($1)`: a whole list as one array parameter, where `inArray`
 * writes one parameter per item. The statement text is then the same for
 * every length, so PostgreSQL prepares and plans it once (db/client.ts).
 */
export function anyOf(column: PgColumn, values: readonly (number | string)[]): SQL {
  return sql`${column} = any(${sql.param([...values])})`;
}
