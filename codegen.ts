import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed documents for the operations the REST shim and the tests execute, from the committed schema. */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/rest/operations/*.graphql'],
  generates: {
    'src/rest/generated.ts': {
      plugins: ['typescript', 'typescript-operations', 'typed-document-node'],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTimeISO: 'string', SafeInt: 'number' },
        // Results and variables spell out every key; an input field that may be null or has a default may be
        // left out, as GraphQL allows, so no caller spells out the clientMutationId every mutation input has.
        avoidOptionals: { field: true, object: true, defaultValue: false, inputValue: false },
        onlyOperationTypes: true,
      },
    },
  },
};

export default config;
