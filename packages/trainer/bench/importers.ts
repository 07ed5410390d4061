/**
 * Evaluation of the model importers: `node --import tsx bench/importers.ts [--inception]`.
 * Prints load times, the ImageNet MobileNetV2's (TFLite) accuracy on real photos, and how
 * closely the imported nsfwjs models agree with nsfwjs's own TF.js predictions. Reads
 * ../shared/models and ../shared/datasets; skips what is absent. Asserts nothing.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { readPreprocessing } from "../src/models/import/preprocessing.ts";
import { loadNsfwjsArtifacts } from "../src/models/import/tfjs-artifacts.ts";
import { argmaxRows, batchOf, sessionFor, sharedPath } from "../src/models/testing/images.ts";
import { maxAbsDifference, runImported, sampleImages, toNhwc } from "../src/models/testing/tfjs-compare.ts";
import { availableZooEntries, loadZooModel } from "../src/models/zoo.ts";

const { values: args } = parseArgs({ options: { inception: { type: "boolean", default: false } } });

function time<T>(body: () => T): [T, number] {
  const start = performance.now();
  const result = body();
  return [result, performance.now() - start];
}

async function loadTimes(): Promise<void> {
  console.log("== zoo load times (import to ONNX IR, then ONNX Runtime session) ==");
  for (const entry of availableZooEntries()) {
    const [model, importMs] = time(() => loadZooModel(entry.name));
    const start = performance.now();
    await sessionFor(model);
    console.log(
      `${entry.name.padEnd(26)} import ${importMs.toFixed(0).padStart(5)} ms   session ${(performance.now() - start).toFixed(0).padStart(5)} ms   ${(entry.parameterCount / 1e6).toFixed(2)} M weights`,
    );
  }
}

/** Pets breed folders whose breed is itself an ImageNet class (first name of the label). */
const PET_CLASSES: Record<string, string> = {
  Persian: "Persian cat",
  Siamese: "Siamese cat",
  Egyptian_Mau: "Egyptian cat",
  pug: "pug",
  samoyed: "Samoyed",
  beagle: "beagle",
  chihuahua: "Chihuahua",
  basset_hound: "basset",
  boxer: "boxer",
  english_setter: "English setter",
  great_pyrenees: "Great Pyrenees",
  japanese_chin: "Japanese spaniel",
  keeshond: "keeshond",
  leonberger: "Leonberg",
  miniature_pinscher: "miniature pinscher",
  newfoundland: "Newfoundland",
  pomeranian: "Pomeranian",
  saint_bernard: "Saint Bernard",
  scottish_terrier: "Scotch terrier",
  staffordshire_bull_terrier: "Staffordshire bullterrier",
  wheaten_terrier: "soft-coated wheaten terrier",
  yorkshire_terrier: "Yorkshire terrier",
  english_cocker_spaniel: "cocker spaniel",
  german_shorthaired: "German short-haired pointer",
};
const CAT_LABELS = new Set(["tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"]);
// ImageNet's dog classes are indices 151..268 of the 1000; this model adds background at 0.
const isDog = (index: number) => index >= 152 && index <= 269;

async function predictFolder(session: Awaited<ReturnType<typeof sessionFor>>, files: string[], mean: number[], std: number[]): Promise<number[]> {
  const predictions: number[] = [];
  for (let i = 0; i < files.length; i += 16) {
    const out = await session.run({ input: await batchOf(files.slice(i, i + 16), 224, mean, std) });
    predictions.push(...argmaxRows(out.output?.data as Float32Array, 1001));
  }
  return predictions;
}

async function imagenetAccuracy(): Promise<void> {
  const datasets = sharedPath("datasets");
  const models = sharedPath("models");
  if (!datasets || !models) return console.log("skipping ImageNet MobileNetV2 accuracy: ../shared/datasets or ../shared/models is absent");
  console.log("== ImageNet MobileNetV2 (TFLite, dequantized) top-1 on real photos ==");
  const model = loadZooModel("mobilenet-v2-imagenet");
  const pre = readPreprocessing(model);
  const session = await sessionFor(model);
  const labels = readFileSync(join(models, "imagenet_labels.txt"), "utf8")
    .split("\n")
    .map((l) => l.split(",")[0]?.trim() ?? "");
  const files = (dir: string) =>
    readdirSync(join(datasets, dir))
      .sort()
      .map((f) => join(datasets, dir, f));
  for (const [dir, label] of [
    ["hymenoptera_data/val/ants", "ant"],
    ["hymenoptera_data/val/bees", "bee"],
  ] as const) {
    const predicted = await predictFolder(session, files(dir), pre?.mean ?? [], pre?.std ?? []);
    const correct = predicted.filter((i) => labels[i] === label).length;
    console.log(`${dir}: top-1 '${label}' ${correct}/${predicted.length} = ${((100 * correct) / predicted.length).toFixed(1)}%`);
  }
  let catDog = 0;
  let total = 0;
  let breedCorrect = 0;
  let breedTotal = 0;
  for (const breed of readdirSync(join(datasets, "oxford_pets_sample"))
    .filter((d) => !d.endsWith(".md"))
    .sort()) {
    const isCat = breed[0] === breed[0]?.toUpperCase(); // the Pets convention: cat breeds are capitalized
    const predicted = await predictFolder(session, files(join("oxford_pets_sample", breed)), pre?.mean ?? [], pre?.std ?? []);
    catDog += predicted.filter((i) => (isCat ? CAT_LABELS.has(labels[i] ?? "") : isDog(i))).length;
    total += predicted.length;
    const expected = PET_CLASSES[breed];
    if (expected) {
      breedCorrect += predicted.filter((i) => labels[i] === expected).length;
      breedTotal += predicted.length;
    }
  }
  console.log(
    `oxford_pets_sample: cat breed → ImageNet cat class, dog breed → ImageNet dog class: ${catDog}/${total} = ${((100 * catDog) / total).toFixed(1)}%`,
  );
  console.log(
    `oxford_pets_sample: exact ImageNet breed (${Object.keys(PET_CLASSES).length} breeds that are ImageNet classes): ${breedCorrect}/${breedTotal} = ${((100 * breedCorrect) / breedTotal).toFixed(1)}%`,
  );
}

const NSFWJS_MODULES = {
  mobilenet_v2: async () => (await import("nsfwjs/models/mobilenet_v2")).MobileNetV2Model,
  mobilenet_v2_mid: async () => (await import("nsfwjs/models/mobilenet_v2_mid")).MobileNetV2MidModel,
  inception_v3: async () => (await import("nsfwjs/models/inception_v3")).InceptionV3Model,
};

async function nsfwjsAgreement(): Promise<void> {
  console.log("== nsfwjs models: imported ONNX (ONNX Runtime) vs nsfwjs (TF.js CPU), 3 images ==");
  await tf.setBackend("cpu");
  const names = args.inception ? (["mobilenet_v2", "mobilenet_v2_mid", "inception_v3"] as const) : (["mobilenet_v2", "mobilenet_v2_mid"] as const);
  for (const name of names) {
    const size = name === "inception_v3" ? 299 : 224;
    const x = await sampleImages(size, 3);
    const artifacts = loadNsfwjsArtifacts(name);
    const onnxStart = performance.now();
    const actual = await runImported(artifacts, name === "mobilenet_v2_mid" ? "graph" : "layers", x);
    const onnxMs = performance.now() - onnxStart;
    const definition = await NSFWJS_MODULES[name]();
    const json = (await definition.modelJson()).default as unknown as Record<string, unknown>;
    const shards = await Promise.all(definition.weightBundles.map(async (b) => Buffer.from((await b()).default, "base64")));
    const handler: tf.io.IOHandler = {
      load: async () => ({
        modelTopology: json.modelTopology as object,
        format: json.format as string | undefined,
        weightSpecs: (json.weightsManifest as { weights: tf.io.WeightsManifestEntry[] }[]).flatMap((g) => g.weights),
        weightData: new Uint8Array(Buffer.concat(shards)).buffer,
      }),
    };
    const reference = name === "mobilenet_v2_mid" ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
    const tfStart = performance.now();
    const expected = await (reference.predict(toNhwc(x)) as tf.Tensor).data();
    const tfMs = performance.now() - tfStart;
    const top1 = argmaxRows(actual, 5).filter((c, i) => c === argmaxRows(Float32Array.from(expected), 5)[i]).length;
    console.log(
      `${name.padEnd(17)} max |Δp| ${maxAbsDifference(actual, expected).toExponential(2)}   top-1 agree ${top1}/3   import+ORT ${onnxMs.toFixed(0)} ms   TF.js CPU ${tfMs.toFixed(0)} ms`,
    );
  }
}

await loadTimes();
await imagenetAccuracy();
await nsfwjsAgreement();
