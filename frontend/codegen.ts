import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed documents from the committed schema: a schema change that breaks a query fails
// `npm run build` here, before the TypeScript check.
const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Decimal: "string", DateTime: "string", Date: "string" },
      },
    },
  },
  silent: true,
};

export default config;
