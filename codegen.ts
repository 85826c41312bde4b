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
        avoidOptionals: true,
        onlyOperationTypes: true,
      },
    },
  },
};

export default config;
