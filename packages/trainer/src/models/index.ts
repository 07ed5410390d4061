/** Models: the classifier (a head on a backbone), the zoo of pretrained backbones, and seeded synthetic architectures (tests, trials). */
export * from "./head/index.ts";
export * from "./segmentation/index.ts";
export { type ZooEntry, zooEntries } from "./zoo.ts";
export { buildSyntheticModel, resnet18, type SyntheticArchitecture, syntheticArchitectures, type SyntheticModel } from "./synthetic/index.ts";
export * from "./catalog/index.ts";
