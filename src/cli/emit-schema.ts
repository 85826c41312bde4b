import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildBerthSchema } from '../graphql/schema';

/**
 * Writes schema.graphql from the type-graphql classes; with --check, fails
 * instead when the committed file differs.
 */
const file = path.resolve(__dirname, '../../schema.graphql');
const printed = `# Generated from the type-graphql classes in src/graphql by \`npm run schema\`; do not edit.\n\n${printSchema(lexicographicSortSchema(buildBerthSchema()))}\n`;
if (process.argv.includes('--check')) {
  const committed = readFileSync(file, 'utf8');
  if (committed !== printed) {
    console.error('schema.graphql is stale: run `npm run schema` and commit the result');
    process.exit(1);
  }
} else {
  writeFileSync(file, printed);
}
