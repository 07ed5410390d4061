/** The API's schema built from its SDL files (the same files graphql-codegen reads). */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildASTSchema, concatAST, type GraphQLSchema, parse } from "graphql";

const SCHEMA_DIR = fileURLToPath(new URL("../../api/src/schema/", import.meta.url));

export function loadApiSchema(): GraphQLSchema {
  const files = readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith(".graphql"))
    .sort();
  return buildASTSchema(concatAST(files.map((name) => parse(readFileSync(SCHEMA_DIR + name, "utf8")))));
}
