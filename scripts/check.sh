#!/usr/bin/env bash
# Fails when a generated file no longer matches its source: schema.graphql
# (type-graphql classes), src/rest/generated.ts (codegen) and drizzle/ (the
# drizzle schema), when the TypeScript (server and the GraphiQL page) does
# not compile, or when the schema breaks a lint rule.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsc --noEmit -p tsconfig.json
npx tsc --noEmit -p web/tsconfig.json
node -r @swc-node/register src/cli/emit-schema.ts --check
# graphql-schema-linter: one CLI over schema.graphql with graphql 16 as its peer, no ESLint set-up, and the rules we need (descriptions, naming, Relay).
npx graphql-schema-linter schema.graphql
npx graphql-codegen --config codegen.ts --check
npx drizzle-kit generate >/dev/null
if [ -n "$(git status --porcelain -- drizzle)" ]; then
  git status --short -- drizzle
  echo "drizzle/ is stale: run \`npm run migrations\` and commit the new migration" >&2
  exit 1
fi
echo "generated files are up to date"
