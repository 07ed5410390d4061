/**
 * Evaluation on real data (`npm run eval`): fine-tuning accuracy, time per epoch and img/s on
 * ants/bees and on the Oxford-IIIT Pet sample (k-fold). Reads ../shared/datasets and
 * ../shared/models; sections whose data is absent print why and are skipped.
 *
 *   --only hymenoptera,nsfwjs,pets,fsdd,ucr   run some sections (default all)
 *   --epochs N                       unfrozen epochs of fine_tune (default 3)
 *   --folds K                        folds for the pets cross-validation (default 5)
 */
import { parseArgs } from "node:util";
import { imagenetMobileNetV2, nsfwjsBackbone } from "./backbones.ts";
import { CONVERTED_SECTIONS, runConvertedSections } from "./converted-sections.ts";
import { evaluateHymenoptera } from "./hymenoptera.ts";
import { evaluatePets } from "./pets.ts";
import { percent } from "./report.ts";

const SECTIONS = ["hymenoptera", "nsfwjs", "pets", ...CONVERTED_SECTIONS] as const;

function options() {
  const { values } = parseArgs({ options: { only: { type: "string" }, epochs: { type: "string", default: "3" }, folds: { type: "string", default: "5" } } });
  const only = values.only ? values.only.split(",") : [...SECTIONS];
  for (const name of only) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`--only: '${name}' is not one of ${SECTIONS.join(", ")}`);
  const epochs = Number(values.epochs);
  const folds = Number(values.folds);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got ${values.epochs}`);
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`--folds must be an integer ≥ 2, got ${values.folds}`);
  return { only, epochs, folds };
}

async function main(): Promise<void> {
  const { only, epochs, folds } = options();
  const started = performance.now();
  if (only.includes("hymenoptera")) {
    console.log("ants/bees with the ImageNet MobileNetV2 (target ≥ 95% within 10 minutes wall)");
    const backbone = imagenetMobileNetV2();
    if (!backbone) console.log("  skipped: ../shared/models/mobilenet_v2_1.0_224_quant.tflite is absent");
    else {
      const sectionStart = performance.now();
      const accuracy = await evaluateHymenoptera(backbone, { epochs, checkExport: true });
      const minutes = (performance.now() - sectionStart) / 60_000;
      if (accuracy !== undefined) console.log(`  target: ${accuracy >= 0.95 && minutes <= 10 ? "met" : "NOT met"} (${percent(accuracy)} in ${minutes.toFixed(1)} min)`);
    }
  }
  if (only.includes("nsfwjs")) {
    for (const name of ["mobilenet_v2", "mobilenet_v2_mid"] as const) {
      console.log(`ants/bees with the nsfwjs ${name} backbone`);
      await evaluateHymenoptera(nsfwjsBackbone(name), { epochs, checkExport: false });
    }
  }
  if (only.includes("pets")) {
    console.log(`Oxford-IIIT Pet sample, ${folds}-fold cross-validation, ImageNet MobileNetV2`);
    const backbone = imagenetMobileNetV2();
    if (!backbone) console.log("  skipped: ../shared/models/mobilenet_v2_1.0_224_quant.tflite is absent");
    else await evaluatePets(backbone, { epochs, folds });
  }
  await runConvertedSections(only, epochs);
  console.log(`total ${((performance.now() - started) / 60_000).toFixed(1)} min`);
}

await main();
