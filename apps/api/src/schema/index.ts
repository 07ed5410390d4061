import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const schemaDir = fileURLToPath(new URL(".", import.meta.url));

/** Every domain's SDL, common.graphql first (it declares the root types the others extend). */
export function loadTypeDefs(): string {
  const files = readdirSync(schemaDir)
    .filter((name) => name.endsWith(".graphql"))
    .sort((a, b) => (a === "common.graphql" ? -1 : b === "common.graphql" ? 1 : a.localeCompare(b)));
  return files.map((name) => readFileSync(`${schemaDir}/${name}`, "utf8")).join("\n");
}
