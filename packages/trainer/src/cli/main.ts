/** runboard-train: train, segment, lr-find, predict, export, interpret, convert and models from the command line. */
import { convertCommand, CONVERT_USAGE } from "./convert.ts";
import { exportCommand, EXPORT_USAGE } from "./export.ts";
import { interpretCommand, INTERPRET_USAGE } from "./interpret.ts";
import { lrFindCommand, LR_FIND_USAGE } from "./lr-find.ts";
import { modelsCommand, MODELS_USAGE } from "./models.ts";
import { UsageError } from "./options.ts";
import { Interrupted } from "./output-folder.ts";
import { predictCommand, PREDICT_USAGE } from "./predict.ts";
import { segmentCommand, SEGMENT_USAGE } from "./segment.ts";
import { trainCommand, TRAIN_USAGE } from "./train.ts";

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  train: trainCommand,
  segment: segmentCommand,
  "lr-find": lrFindCommand,
  predict: predictCommand,
  export: exportCommand,
  interpret: interpretCommand,
  convert: convertCommand,
  models: modelsCommand,
};

export const USAGE = `usage: runboard-train <command> [options]

${TRAIN_USAGE}

${SEGMENT_USAGE}

${LR_FIND_USAGE}

${PREDICT_USAGE}

${EXPORT_USAGE}

${INTERPRET_USAGE}

${CONVERT_USAGE}

${MODELS_USAGE}`;

/** Runs one command; returns the process exit code (0 ok, 1 failure, 2 bad usage, 128 + n after signal n). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command '${command}'; commands: ${Object.keys(COMMANDS).join(", ")}`);
    await run(args);
    return 0;
  } catch (error) {
    if (error instanceof Interrupted) {
      process.stderr.write(`runboard-train ${command}: ${error.message}\n`);
      return error.exitCode;
    }
    const usage = error instanceof UsageError;
    process.stderr.write(`runboard-train${run ? ` ${command}` : ""}: ${usage ? "" : "error: "}${(error as Error).message}\n`);
    if (usage) process.stderr.write("run 'runboard-train --help' for the options\n");
    return usage ? 2 : 1;
  }
}
