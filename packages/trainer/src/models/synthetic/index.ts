/**
 * Seeded random-weight models shaped like torchvision ONNX exports (opset 17, input "input"
 * [batch, 3, H, W], output "logits", BatchNormalization with running statistics). Full-size
 * defaults have the reference parameter counts; tests shrink width, depth and resolution.
 */
import type { SyntheticOptions } from "./context.ts";
import { densenet } from "./densenet.ts";
import { efficientnet } from "./efficientnet.ts";
import { inception } from "./inception.ts";
import { mobilenetV2 } from "./mobilenet-v2.ts";
import { mobilenetV3 } from "./mobilenet-v3.ts";
import type { SyntheticModel } from "./model.ts";
import { resnet18, resnet34, resnet50 } from "./resnet.ts";
import { vgg } from "./vgg.ts";

export type { ParameterSpec, SyntheticOptions } from "./context.ts";
export type { SyntheticModel } from "./model.ts";
export { INPUT_NAME, OUTPUT_NAME, trainableParameterCount } from "./model.ts";
export { SeededRandom } from "./random.ts";
export { densenet, efficientnet, inception, mobilenetV2, mobilenetV3, resnet18, resnet34, resnet50, vgg };

export const syntheticArchitectures = {
  resnet18: resnet18,
  resnet34: resnet34,
  resnet50: resnet50,
  "mobilenet-v2": mobilenetV2,
  "mobilenet-v3-large": (options: SyntheticOptions = {}) => mobilenetV3({ ...options, variant: "large" }),
  "mobilenet-v3-small": (options: SyntheticOptions = {}) => mobilenetV3({ ...options, variant: "small" }),
  "efficientnet-b0": efficientnet,
  vgg11: (options: SyntheticOptions = {}) => vgg({ ...options, depth: 11 }),
  vgg16: (options: SyntheticOptions = {}) => vgg({ ...options, depth: 16 }),
  "vgg16-bn": (options: SyntheticOptions = {}) => vgg({ ...options, depth: 16, batchNorm: true }),
  densenet121: densenet,
  "inception-v3": inception,
} satisfies Record<string, (options?: SyntheticOptions) => SyntheticModel>;

export type SyntheticArchitecture = keyof typeof syntheticArchitectures;

export function buildSyntheticModel(architecture: string, options: SyntheticOptions = {}): SyntheticModel {
  if (!Object.hasOwn(syntheticArchitectures, architecture)) {
    throw new Error(`architecture must be one of ${Object.keys(syntheticArchitectures).join(", ")}; got '${architecture}'`);
  }
  return syntheticArchitectures[architecture as SyntheticArchitecture](options);
}
