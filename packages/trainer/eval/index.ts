/**
 * Evaluation on real data (`npm run eval`): fine-tuning accuracy, time per epoch and img/s on
 * ants/bees, on the Oxford-IIIT Pet sample (k-fold), on converted data (FSDD, UCR), and semantic
 * segmentation on CamVid (mIoU, pixel accuracy, IoU per class; eval/camvid.ts). Reads
 * ../shared/datasets and ../shared/models; sections whose data is absent print why and are
 * skipped. Ends with a summary table. The defaults fit a CI job on 2 cores (about 25 to 35 minutes).
 *
 *   --only hymenoptera,nsfwjs,pets,fsdd,ucr,camvid   run some sections (default all of these); each photo
 *                section runs the default recipe, AUTO, and prints the linear probe beside it;
 *                ants/bees also runs fastai's fine_tune for comparison, and adding `fine-tune`
 *                runs it on nsfwjs and pets too
 *   --epochs N   unfrozen epochs of fine_tune for every photo section (default per section:
 *                ants/bees 4, nsfwjs 2 (its Inception V3 1), pets 1, see DEFAULT_EPOCHS);
 *                FSDD and UCR always run their fixed recipes (FSDD_RECIPE, UCR_RECIPE)
 *   --folds K    folds for the pets cross-validation (default 5)
 *   --ucr-sets ArrowHead,Beef   UCR sets to run (default UCR_SETS, those UCR_RECIPE was chosen on;
 *                any other set of the UCR folder is a held-out check of the recipe)
 */
import { parseArgs } from "node:util";
import { findSharedDataset } from "../src/data/index.ts";
import { evaluateCamvid } from "./camvid.ts";
import { CONVERTED_SECTIONS, runConvertedSections } from "./converted-sections.ts";
import { IMAGE_SECTIONS, runImageSections } from "./image-sections.ts";
import { hasUcrSet, UCR_SETS } from "./ucr.ts";
import { EvaluationSummary } from "./summary.ts";

const SECTIONS = [...IMAGE_SECTIONS, ...CONVERTED_SECTIONS, "camvid"] as const;

function options() {
  const { values } = parseArgs({
    options: { only: { type: "string" }, epochs: { type: "string" }, folds: { type: "string", default: "5" }, "ucr-sets": { type: "string" } },
  });
  const only = values.only ? values.only.split(",") : SECTIONS.filter((s) => s !== "fine-tune");
  for (const name of only) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only: '${name}' is not one of ${SECTIONS.join(", ")}`);
  const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
  const folds = Number(values.folds);
  if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1)) throw new Error(`--epochs must be a positive integer, got ${values.epochs}`);
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`--folds must be an integer ≥ 2, got ${values.folds}`);
  const ucrSets = values["ucr-sets"] ? values["ucr-sets"].split(",") : [...UCR_SETS];
  if (values["ucr-sets"]) {
    const root = findSharedDataset("ucr");
    for (const name of ucrSets) {
      if (!root || !hasUcrSet(root, name)) throw new Error(`--ucr-sets: '${name}' has no ${name}/${name}_TRAIN.tsv and _TEST.tsv in ../shared/datasets/ucr`);
    }
  }
  return { only, epochs, folds, ucrSets };
}

async function main(): Promise<void> {
  const { only, epochs, folds, ucrSets } = options();
  const started = performance.now();
  const summary = new EvaluationSummary();
  await runImageSections(only, epochs === undefined ? { folds } : { epochs, folds }, summary);
  await runConvertedSections(only, ucrSets, summary);
  if (only.includes("camvid")) await evaluateCamvid(summary);
  summary.print();
  console.log(`total ${((performance.now() - started) / 60_000).toFixed(1)} min`);
}

await main();
