/**
 * One function that runs a training spec: the CLI and the worker both call it. AUTO resolves
 * to a concrete recipe first (on the training split only); every run also reports the linear
 * probe's validation accuracy beside its own, as its baseline. `options.hooks` sees the chosen
 * recipe and each stage of the final run; `options.resume` continues a run from a checkpoint
 * of its learner (AUTO's choice is not made again: the resume point names the recipe).
 */
import { selectViews } from "../features/index.ts";
import type { Learner, LearnerData } from "../learner/index.ts";
import type { Classifier } from "../models/head/index.ts";
import { probeAccuracy } from "../probe/index.ts";
import { type AutoReport, autoSelect, describe } from "./auto.ts";
import { type ConcreteRecipe, pct, type ResumeFrom, runRecipe, settingsOf, type RecipeSettings, type StageHooks } from "./recipes.ts";
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

export interface TrainingHooks extends StageHooks {
  /** Once the recipe is known (AUTO: after choosing, with its report; undefined when resumed), before its first stage. */
  chosen?(recipe: ConcreteRecipe, settings: RecipeSettings, auto: AutoReport | undefined): void | Promise<void>;
}

export interface TrainingOptions {
  hooks?: TrainingHooks;
  /** Continue a run that stopped: its recipe (AUTO's choice), stage, epoch and checkpoint. */
  resume?: ResumeFrom;
}

export async function trainWithSpec(inputs: TrainingInputs, spec: TrainingSpec, options: TrainingOptions = {}): Promise<TrainingOutcome> {
  const started = Date.now();
  const bench = new Workbench(inputs, spec);
  const { split } = inputs;
  const { hooks, resume } = options;
  try {
    let auto: AutoReport | undefined;
    let recipe: ConcreteRecipe;
    let settings: RecipeSettings;
    if (resume) {
      if (spec.recipe !== "AUTO" && spec.recipe !== resume.recipe)
        throw new Error(`resume: the checkpoint is of ${resume.recipe}, the spec asks for ${spec.recipe}`);
      ({ recipe, settings } = resume);
      bench.log(`resuming ${describe({ recipe, settings })} at stage ${resume.stage + 1}, after epoch ${resume.epochInStage} of it`);
    } else if (spec.recipe === "AUTO") {
      const chosen = await autoSelect(bench, split);
      auto = chosen.report;
      ({ recipe, settings } = chosen.winner);
    } else {
      recipe = spec.recipe;
      settings = settingsOf(bench, recipe);
    }
    await hooks?.chosen?.(recipe, settings, auto);
    bench.log(`training ${describe({ recipe, settings })} on ${split.train.length} images`);
    const run = await runRecipe(bench, recipe, split, settings, false, undefined, { ...(hooks ? { hooks } : {}), ...(resume ? { resume } : {}) });
    const probe = await probeBaseline(bench, settings.views);
    await bench.release(run.learner);
    bench.closeCache();
    const data = run.learner.data;
    return {
      recipe,
      settings,
      learner: run.learner,
      classifier: run.classifier,
      data,
      probe,
      ...(auto ? { auto } : {}),
      seconds: (Date.now() - started) / 1000,
      close: async () => {
        await run.learner.release();
        await data.close?.();
      },
    };
  } catch (error) {
    await bench.release();
    bench.closeCache();
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
