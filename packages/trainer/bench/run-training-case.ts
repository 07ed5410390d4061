/** Child-process entry: runs one training case given as JSON in argv[2], prints its result as JSON. */
import type { TrainingCaseSpec } from "./training-case.ts";
import { runTrainingCase } from "./training-case.ts";

const spec = JSON.parse(process.argv[2] ?? "{}") as TrainingCaseSpec;
try {
  process.stdout.write(`${JSON.stringify(await runTrainingCase(spec))}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
}
