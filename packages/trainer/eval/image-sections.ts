/**
 * The evaluation sections on photographs: ants/bees with the ImageNet MobileNetV2 (the issue's
 * target), ants/bees with the nsfwjs backbones from npm, and the Oxford-IIIT Pet sample in
 * k-fold. Each adds its rows to the summary. Epoch defaults are sized so that the whole
 * evaluation fits a CI job on 2 cores; `epochs` overrides them all.
 */
import { autoHymenoptera, autoNsfwjs, autoPets } from "./auto-sections.ts";
import { imagenetMobileNetV2, nsfwjsBackbone } from "./backbones.ts";
import type { CaseResult } from "./fine-tune-case.ts";
import { fineTuneHymenoptera } from "./hymenoptera.ts";
import { evaluatePets } from "./pets.ts";
import { percent } from "./report.ts";
import type { EvaluationSummary, SummaryRow } from "./summary.ts";

export const IMAGE_SECTIONS = ["hymenoptera", "nsfwjs", "pets", "fine-tune"] as const;

/** Unfrozen epochs of fine_tune per section when --epochs is not given (one frozen epoch comes first; nsfwjs's Inception V3 gets 1). */
export const DEFAULT_EPOCHS: Record<Exclude<(typeof IMAGE_SECTIONS)[number], "fine-tune">, number> = { hymenoptera: 4, nsfwjs: 2, pets: 1 };

const TFLITE_ABSENT = "  skipped: ../shared/models/mobilenet_v2_1.0_224_quant.tflite is absent";

export interface ImageSectionOptions {
  /** Overrides DEFAULT_EPOCHS for every section. */
  epochs?: number;
  folds: number;
}

function timing(results: readonly CaseResult[]): Pick<SummaryRow, "secondsPerEpoch" | "imagesPerSecond" | "wallMinutes"> {
  const epochs = results.flatMap((r) => r.epochs);
  const seconds = epochs.reduce((sum, e) => sum + e.seconds, 0);
  return {
    secondsPerEpoch: seconds / Math.max(1, epochs.length),
    imagesPerSecond: results.reduce((sum, r) => sum + r.imagesPerSecond * r.epochs.reduce((s, e) => s + e.seconds, 0), 0) / Math.max(seconds, 1e-9),
    wallMinutes: results.reduce((sum, r) => sum + r.wallSeconds, 0) / 60,
  };
}

async function hymenoptera(summary: EvaluationSummary, epochs: number): Promise<void> {
  console.log(`ants/bees with the ImageNet MobileNetV2, fine_tune(${epochs}) (target ≥ 95% within 10 minutes wall)`);
  const backbone = imagenetMobileNetV2();
  if (!backbone) return console.log(TFLITE_ABSENT);
  const started = performance.now();
  const result = await fineTuneHymenoptera(backbone, { epochs, checkExport: true });
  if (!result) return;
  const minutes = (performance.now() - started) / 60_000;
  const target = `${result.accuracy >= 0.95 && minutes <= 10 ? "met" : "NOT met"} (≥ 95% in ≤ 10 min)`;
  console.log(`  target: ${target}: ${percent(result.accuracy)} in ${minutes.toFixed(1)} min`);
  summary.add({
    section: `ants/bees fine_tune(${epochs})`,
    model: "mobilenet-v2-imagenet",
    accuracy: result.accuracy,
    ...timing([result]),
    wallMinutes: minutes,
    target,
  });
}

/**
 * Inception V3 (299², 22 M parameters) gets one unfrozen epoch by default: it takes about 4× the
 * time of a MobileNetV2 epoch and peaks near 10 GB of memory at batch 32.
 */
const INCEPTION_DEFAULT_EPOCHS = 1;

async function nsfwjs(summary: EvaluationSummary, epochs: number | undefined): Promise<void> {
  for (const name of ["mobilenet_v2", "mobilenet_v2_mid", "inception_v3"] as const) {
    const unfrozen = epochs ?? (name === "inception_v3" ? INCEPTION_DEFAULT_EPOCHS : DEFAULT_EPOCHS.nsfwjs);
    console.log(`ants/bees with the nsfwjs ${name} backbone, fine_tune(${unfrozen})`);
    const result = await fineTuneHymenoptera(nsfwjsBackbone(name), { epochs: unfrozen, checkExport: false });
    if (result)
      summary.add({
        section: `ants/bees fine_tune(${unfrozen})`,
        model: `nsfwjs-${name.replaceAll("_", "-")}`,
        accuracy: result.accuracy,
        ...timing([result]),
      });
  }
}

async function pets(summary: EvaluationSummary, epochs: number, folds: number): Promise<void> {
  console.log(`Oxford-IIIT Pet sample, ${folds}-fold cross-validation, ImageNet MobileNetV2, fine_tune(${epochs})`);
  const backbone = imagenetMobileNetV2();
  if (!backbone) return console.log(TFLITE_ABSENT);
  const result = await evaluatePets(backbone, { epochs, folds });
  if (result)
    summary.add({
      section: `pets ${folds}-fold fine_tune(${epochs})`,
      model: "mobilenet-v2-imagenet",
      accuracy: result.mean,
      accuracyStd: result.std,
      ...timing(result.folds),
    });
}

/**
 * Runs the wanted image sections in order, adding a summary row for each evaluated model: the
 * default recipe (AUTO) everywhere, and fastai's fine_tune on ants/bees as the comparison
 * (`fine-tune` adds it on pets and the nsfwjs backbones too).
 */
export async function runImageSections(only: readonly string[], options: ImageSectionOptions, summary: EvaluationSummary): Promise<void> {
  const epochsOf = (section: keyof typeof DEFAULT_EPOCHS) => options.epochs ?? DEFAULT_EPOCHS[section];
  if (only.includes("hymenoptera")) {
    await autoHymenoptera(summary);
    await hymenoptera(summary, epochsOf("hymenoptera"));
  }
  if (only.includes("nsfwjs")) {
    await autoNsfwjs(summary);
    if (only.includes("fine-tune")) await nsfwjs(summary, options.epochs);
  }
  if (only.includes("pets")) {
    await autoPets(summary, options.folds);
    if (only.includes("fine-tune")) await pets(summary, epochsOf("pets"), options.folds);
  }
}
