/**
 * One function that runs a training spec: the CLI and the worker both call it. AUTO resolves
 * to a concrete recipe first (on the training split only); every run also reports the linear
 * probe's validation accuracy beside its own, as its baseline.
 */
import { selectViews } from "../features/index.ts";
import type { Learner, LearnerData } from "../learner/index.ts";
import type { Classifier } from "../models/head/index.ts";
import { probeAccuracy } from "../probe/index.ts";
import { type AutoReport, autoSelect, describe } from "./auto.ts";
import { type ConcreteRecipe, pct, runRecipe, settingsOf, type RecipeSettings } from "./recipes.ts";
import type { TrainingSpec } from "./spec.ts";
import { averageHalf, type TrainingInputs, Workbench } from "./workbench.ts";

export interface TrainingOutcome {
  /** The recipe that made the final model (AUTO's choice for AUTO). */
  recipe: ConcreteRecipe;
  settings: RecipeSettings;
  learner: Learner;
  classifier: Classifier;
  data: LearnerData;
  /** The linear probe's accuracy on the validation split (the baseline), its L2 and its cross-validation accuracy on the training split. */
  probe: { validAccuracy: number; l2: number; cvAccuracy: number; views: number };
  /** What AUTO tried and why it chose, for AUTO. */
  auto?: AutoReport;
  seconds: number;
  /** Releases the learner and its data loaders. */
  close(): Promise<void>;
}

export async function trainWithSpec(inputs: TrainingInputs, spec: TrainingSpec): Promise<TrainingOutcome> {
  const started = Date.now();
  const bench = new Workbench(inputs, spec);
  const { split } = inputs;
  try {
    let auto: AutoReport | undefined;
    let recipe: ConcreteRecipe;
    let settings: RecipeSettings;
    if (spec.recipe === "AUTO") {
      const chosen = await autoSelect(bench, split);
      auto = chosen.report;
      ({ recipe, settings } = chosen.winner);
    } else {
      recipe = spec.recipe;
      settings = settingsOf(bench, recipe);
    }
    bench.log(`training ${describe({ recipe, settings })} on ${split.train.length} images`);
    const run = await runRecipe(bench, recipe, split, settings);
    const probe = await probeBaseline(bench, settings.views);
    await bench.release(run.learner);
    const data = run.learner.data;
    return {
      recipe, settings, learner: run.learner, classifier: run.classifier, data, probe, ...(auto ? { auto } : {}),
      seconds: (Date.now() - started) / 1000,
      close: async () => {
        await run.learner.release();
        await data.close?.();
      },
    };
  } catch (error) {
    await bench.release();
    throw error;
  }
}

/** The probe on the whole training split, scored on the validation split's plain view: the baseline every run reports. */
async function probeBaseline(bench: Workbench, views: number): Promise<TrainingOutcome["probe"]> {
  const { split } = bench.inputs;
  const selection = await bench.probe(split.train, views);
  const valid = averageHalf(selectViews(await bench.features(split.valid, 1), [0]));
  const validAccuracy = probeAccuracy(selection.probe, valid);
  const cvAccuracy = selection.scores.find((s) => s.l2 === selection.l2)?.accuracy ?? Number.NaN;
  bench.log(`probe baseline: ${pct(validAccuracy)} on the validation split`);
  return { validAccuracy, l2: selection.l2, cvAccuracy, views };
}
