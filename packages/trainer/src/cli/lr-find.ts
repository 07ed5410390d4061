/** runboard-train lr-find <data> --arch …: the learning-rate range test, printed and plotted. */
import { resolve } from "node:path";
import { splitTrainValid } from "../data/index.ts";
import { frozenLrFind } from "../features/index.ts";
import type { SuggestionName } from "../learner/index.ts";
import { listFlag, numberFlag, parseFlags, stringFlag, UsageError } from "./options.ts";
import { curveTable, textPlot, writePlotPng } from "./plot.ts";
import { COMMON_FLAGS, openSession, sessionSettings } from "./session.ts";

export const LR_FIND_USAGE = `runboard-train lr-find <data-folder-or-csv> [--arch <zoo name|file.onnx|file.tflite>] [options]
  --arch A       backbone (default mobilenet-v2-imagenet)
  --start-lr X   first learning rate (default 1e-7)
  --end-lr X     last learning rate (default 10)
  --num-it N     steps (default 100)
  --suggest a,b  valley, minimum, steep, slide (default valley)
  --unfrozen     train every layer during the test (default: the head only, as after cnn_learner,
                 on the body's features computed once per image)
  --png FILE     where to draw the curve (default lr-find.png)
  plus --bs, --size, --valid-pct, --seed, --label-smoothing, --mixup, --workers, --threads, --provider, --quiet`;

const SUGGESTION_NAMES = ["valley", "minimum", "steep", "slide"];

export async function lrFindCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, {
    ...COMMON_FLAGS,
    "start-lr": { type: "string" },
    "end-lr": { type: "string" },
    "num-it": { type: "string" },
    suggest: { type: "string" },
    unfrozen: { type: "boolean" },
    png: { type: "string" },
  });
  if (positionals.length > 1) throw new UsageError(`lr-find takes one data set, got ${positionals.length}: ${positionals.join(" ")}`);
  const startLr = numberFlag(values, "start-lr", 1e-7, { min: 0, exclusiveMin: true });
  const endLr = numberFlag(values, "end-lr", 10, { min: startLr, exclusiveMin: true });
  const numIt = numberFlag(values, "num-it", 100, { integer: true, min: 6, max: 100_000 });
  const suggest = listFlag(values, "suggest", ["valley"]);
  for (const name of suggest)
    if (!SUGGESTION_NAMES.includes(name)) throw new UsageError(`--suggest: each must be one of ${SUGGESTION_NAMES.join(", ")}, got '${name}'`);
  const png = resolve(stringFlag(values, "png") ?? "lr-find.png");
  const session = await openSession(positionals[0], values);
  try {
    const lrFind = { startLr, endLr, numIt, suggest: suggest as SuggestionName[] };
    const { dataset, classifier, learner } = session;
    const result = values.unfrozen
      ? await learner.lrFind(lrFind)
      : await frozenLrFind({
          learner,
          classifier,
          items: dataset.items,
          train: splitTrainValid(dataset.items, session.split).train,
          classCount: dataset.classes.length,
          normalization: session.normalization,
          batchSize: sessionSettings(values).batchSize,
          seed: session.split.seed,
          lrFind,
          session: session.session,
          onFeatures: (images, seconds) => process.stderr.write(`features: ${images} training images through the frozen body in ${seconds.toFixed(1)} s\n`),
        });
    process.stdout.write(`${textPlot(result)}\n\n${curveTable(result)}\n\n`);
    for (const [name, suggestion] of Object.entries(result.suggestions))
      process.stdout.write(`suggested learning rate (${name}): ${suggestion.learningRate.toExponential(2)}\n`);
    const missing = Object.keys(result.suggestions).length > 0 ? "not every suggestion" : "no suggestion";
    if (result.reason) process.stdout.write(`${missing}: ${result.reason}; a higher --num-it or a lower --end-lr gives more points\n`);
    await writePlotPng(result, png);
    process.stderr.write(`wrote ${png}\n`);
  } finally {
    await session.close();
  }
}
