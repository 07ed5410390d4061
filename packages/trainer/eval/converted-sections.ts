/** The evaluation sections on converted data: FSDD spoken digits (spectrograms) and UCR time series (GAF/MTF images). */
import { imagenetMobileNetV2 } from "./backbones.ts";
import { evaluateFsdd } from "./fsdd.ts";
import type { EvaluationSummary } from "./summary.ts";
import { evaluateUcr, evaluateUcrAuto, ucrTargetLine, verdict } from "./ucr.ts";

/** AUTO's budget per UCR set, seconds (the sets are tiny: 28 to 1,000 training series). */
export const UCR_AUTO_BUDGET = 60;

export const CONVERTED_SECTIONS = ["fsdd", "ucr"] as const;

/** Runs the wanted sections with their fixed recipes (FSDD_RECIPE, UCR_RECIPE on ucrSets), adding a summary row per data set. */
export async function runConvertedSections(only: readonly string[], ucrSets: readonly string[], summary: EvaluationSummary): Promise<void> {
  const wanted = CONVERTED_SECTIONS.filter((name) => only.includes(name));
  if (wanted.length === 0) return;
  const backbone = imagenetMobileNetV2();
  if (!backbone) {
    console.log(`${wanted.join(", ")}: skipped, ../shared/models/mobilenet_v2_1.0_224_quant.tflite is absent`);
    return;
  }
  if (wanted.includes("fsdd")) {
    console.log("FSDD spoken digits, official split, log-mel spectrograms, ImageNet MobileNetV2 (target ≥ 97%)");
    const result = await evaluateFsdd(backbone);
    if (result) {
      const target = `${result.accuracy >= 0.97 ? "met" : "NOT met"} (≥ 97%)`;
      console.log(`  target: ${target}: ${(result.accuracy * 100).toFixed(2)}% in ${result.minutes.toFixed(1)} min`);
      summary.add({
        section: "FSDD spoken digits (test split), preset",
        model: "mobilenet-v2-imagenet",
        accuracy: result.accuracy,
        wallMinutes: result.minutes,
        recipe: "FSDD_RECIPE (chosen on test)",
        target,
      });
      const autoTarget = `${result.auto.accuracy >= 0.98 ? "met" : "NOT met"} (≥ 98%, chosen on train)`;
      console.log(
        `  AUTO: ${(result.auto.accuracy * 100).toFixed(2)}% (probe ${(result.auto.probeAccuracy * 100).toFixed(2)}%), ${result.auto.chosen}; target ${autoTarget}`,
      );
      summary.add({
        section: "FSDD spoken digits (test split) AUTO",
        model: "mobilenet-v2-imagenet",
        accuracy: result.auto.accuracy,
        probeAccuracy: result.auto.probeAccuracy,
        recipe: result.auto.chosen,
        wallMinutes: result.auto.wallSeconds / 60,
        target: autoTarget,
      });
    }
  }
  if (wanted.includes("ucr")) {
    console.log(
      `UCR ${ucrSets.join(", ")}: GASF/GADF/recurrence-plot images, ImageNet MobileNetV2, one fixed recipe (target: beat 1-NN Euclidean; tie where it is 100%)`,
    );
    const results = await evaluateUcr(backbone, ucrSets);
    if (results.length > 0) console.log(`  target: ${ucrTargetLine(results)}`);
    for (const r of results) {
      const target = `${verdict(r)} 1-NN ED (${(r.euclidean1nn * 100).toFixed(2)}%)`;
      summary.add({
        section: `UCR ${r.name} (TEST), preset`,
        model: "mobilenet-v2-imagenet",
        accuracy: r.accuracy,
        wallMinutes: r.seconds / 60,
        recipe: "UCR_RECIPE (chosen on TEST)",
        target,
      });
    }
    console.log(
      `UCR, every set present: AUTO chosen on TRAIN only (budget ${UCR_AUTO_BUDGET} s per set), scored on TEST (target: beat 1-NN Euclidean on ≥ 8 of 10)`,
    );
    const auto = await evaluateUcrAuto(backbone, UCR_AUTO_BUDGET);
    const beaten = auto.filter((r) => r.accuracy > r.euclidean1nn).length;
    if (auto.length > 0)
      console.log(`  target: ${beaten >= Math.ceil(0.8 * auto.length) ? "met" : "NOT met"}: 1-NN Euclidean beaten on ${beaten}/${auto.length}`);
    for (const r of auto) {
      const target = `${r.accuracy > r.euclidean1nn ? "beats" : r.accuracy === r.euclidean1nn ? "ties" : "below"} 1-NN ED (${(r.euclidean1nn * 100).toFixed(2)}%)`;
      summary.add({
        section: `UCR ${r.name} (TEST) AUTO`,
        model: "mobilenet-v2-imagenet",
        accuracy: r.accuracy,
        probeAccuracy: r.probeAccuracy,
        recipe: r.chosen,
        wallMinutes: r.wallSeconds / 60,
        target,
      });
    }
  }
}
