/** The gradient registry: one entry per ONNX op type (default domain), rules split by family. */
import { NO_GRADIENT, type RuleEntry } from "../rule.ts";
import { activationRules } from "./activation.ts";
import { convRules } from "./conv.ts";
import { convTransposeRules } from "./conv-transpose.ts";
import { depthSpaceRules } from "./depth-space.ts";
import { dropoutRules } from "./dropout.ts";
import { elementwiseRules } from "./elementwise.ts";
import { lossRules } from "./loss.ts";
import { matmulRules } from "./matmul.ts";
import { normRules } from "./norm.ts";
import { poolRules } from "./pool.ts";
import { reduceRules } from "./reduce.ts";
import { resizeRules } from "./resize.ts";
import { selectRules } from "./select.ts";
import { shapeRules } from "./shape.ts";

/** Ops whose outputs carry no gradient back to their inputs. */
const noGradientOps = [
  "Shape",
  "Size",
  "Constant",
  "ConstantOfShape",
  "Range",
  "EyeLike",
  "OneHot",
  "Equal",
  "Greater",
  "GreaterOrEqual",
  "Less",
  "LessOrEqual",
  "Not",
  "And",
  "Or",
  "Xor",
  "ArgMax",
  "ArgMin",
  "NonZero",
  "Floor",
  "Ceil",
  "Round",
  "Sign",
  "IsNaN",
  "IsInf",
  "RandomNormal",
  "RandomUniform",
  "RandomNormalLike",
  "RandomUniformLike",
  "Multinomial",
];

export const gradientRules: Readonly<Record<string, RuleEntry>> = {
  ...Object.fromEntries(noGradientOps.map((op) => [op, NO_GRADIENT])),
  ...elementwiseRules,
  ...shapeRules,
  ...selectRules,
  ...dropoutRules,
  ...reduceRules,
  ...matmulRules,
  ...activationRules,
  ...convRules,
  ...poolRules,
  ...normRules,
  ...lossRules,
  ...resizeRules,
  ...depthSpaceRules,
  ...convTransposeRules,
};
