import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed documents from the API's SDL: `graphql(...)` in src returns a TypedDocumentNode.
const config: CodegenConfig = {
  schema: "../api/src/schema/*.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: "string", JSON: "unknown", Long: "number" },
      },
    },
  },
};

export default config;
