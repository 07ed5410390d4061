/** Child-process entry: runs one case given as JSON in argv[2], prints its result as JSON. */
import type { CaseSpec } from "./cases.ts";
import { runCase } from "./cases.ts";

const spec = JSON.parse(process.argv[2] ?? "{}") as CaseSpec;
try {
  process.stdout.write(`${JSON.stringify(await runCase(spec))}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
}
