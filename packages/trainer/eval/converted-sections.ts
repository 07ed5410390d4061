/** The evaluation sections on converted data: FSDD spoken digits (spectrograms) and UCR time series (GAF/MTF images). */
import { imagenetMobileNetV2 } from "./backbones.ts";
import { evaluateFsdd } from "./fsdd.ts";
import { evaluateUcr, ucrTargetLine } from "./ucr.ts";

export const CONVERTED_SECTIONS = ["fsdd", "ucr"] as const;

export async function runConvertedSections(only: readonly string[], epochs: number): Promise<void> {
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
    if (result) console.log(`  target: ${result.accuracy >= 0.97 ? "met" : "NOT met"} (${(result.accuracy * 100).toFixed(2)}% in ${result.minutes.toFixed(1)} min)`);
  }
  if (wanted.includes("ucr")) {
    console.log("UCR GunPoint, ECG200, Coffee, CBF: GASF/GADF/recurrence-plot images, ImageNet MobileNetV2, one fixed recipe (target: beat 1-NN Euclidean; tie where it is 100%)");
    const results = await evaluateUcr(backbone);
    if (results.length > 0) console.log(`  target: ${ucrTargetLine(results)}`);
  }
}
