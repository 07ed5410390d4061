/**
 * Data pipeline throughput: images/s decoded (sharp), augmented (fastai aug_transforms) and
 * normalized at 224², on hymenoptera_data's training images, with 0 (inline), 1 and 2 worker
 * threads. `node --import tsx bench/data.ts [--size 224 --batch 32 --epochs 2 --workers 0,1,2]`.
 * Prints numbers; asserts nothing.
 */
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { DataLoader, findSharedDataset, readImageFolder, splitTrainValid, type PipelineOptions } from "../src/data/index.ts";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "224" },
    batch: { type: "string", default: "32" },
    epochs: { type: "string", default: "2" },
    workers: { type: "string", default: "0,1,2" },
  },
});
const size = Number(values.size);
const batchSize = Number(values.batch);
const epochs = Number(values.epochs);
const workerCounts = values.workers.split(",").map(Number);

const root = findSharedDataset("hymenoptera_data");
if (!root) {
  console.log("bench/data: skipped, ../shared/datasets/hymenoptera_data is absent");
  process.exit(0);
}

const scanStart = performance.now();
const dataset = await readImageFolder(root);
const scanSeconds = (performance.now() - scanStart) / 1000;
console.log(
  `scan+verify+hash: ${dataset.items.length} images, ${dataset.skipped.length} skipped, ${scanSeconds.toFixed(2)} s (${(dataset.items.length / scanSeconds).toFixed(0)} files/s)`,
);
const train = splitTrainValid(dataset.items).train;

const setups: { name: string; pipeline: PipelineOptions; train: boolean }[] = [
  { name: "valid: decode+center crop", pipeline: { size, resize: { method: "crop" } }, train: false },
  { name: "train: decode+random crop+aug_transforms", pipeline: { size, resize: { method: "crop" }, augment: {} }, train: true },
  { name: "train: random-resized-crop+aug_transforms", pipeline: { size, resize: { method: "random-resized-crop" }, augment: {} }, train: true },
];

async function measure(pipeline: PipelineOptions, isTrain: boolean, workers: number) {
  const startup = performance.now();
  const loader = new DataLoader({ items: dataset.items, subset: train, pipeline, train: isTrain, batchSize, workers });
  let images = 0;
  let firstBatchMs = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for await (const batch of loader.epoch(epoch)) {
      if (images === 0) firstBatchMs = performance.now() - startup;
      images += batch.shape[0];
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  await loader.close();
  // CPU time of the whole process (all threads): a figure that other load on the machine does not inflate.
  const cpuMsPerImage = (cpu.user + cpu.system) / 1000 / images;
  return { images, seconds, firstBatchMs, cpuMsPerImage };
}

console.log(`${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)} before the runs`);
console.log(`size ${size}², batch ${batchSize}, ${train.length} training images × ${epochs} epochs`);
for (const setup of setups) {
  for (const workers of workerCounts) {
    const { images, seconds, firstBatchMs, cpuMsPerImage } = await measure(setup.pipeline, setup.train, workers);
    const label = workers === 0 ? "inline   " : `${workers} worker${workers > 1 ? "s" : " "}`;
    console.log(
      `${setup.name.padEnd(44)} ${label}  ${(images / seconds).toFixed(1).padStart(6)} img/s  ${cpuMsPerImage.toFixed(1).padStart(5)} CPU ms/img  (${images} images in ${seconds.toFixed(2)} s, first batch after ${firstBatchMs.toFixed(0)} ms, load ${loadavg()[0]?.toFixed(1)})`,
    );
  }
}
