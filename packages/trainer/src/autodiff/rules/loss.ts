/**
 * SoftmaxCrossEntropyLoss: dScores = (softmax − onehot(label)) ⊙ w[label] ⊙ dLoss / denominator,
 * with ignored labels weighted 0 and the mean taken over the weights of the samples kept.
 */
import { getInt, getString, type Attribute } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";
import { logSoftmaxGradient } from "./activation.ts";

/** The node's log_prob output, added when the model did not ask for it. */
function logProbabilities(ctx: RuleContext): string {
  if (!ctx.node.outputs[1]) ctx.node.outputs[1] = `${ctx.node.name}/log_prob`;
  return ctx.node.outputs[1];
}

interface SampleWeights {
  /** Labels with ignored ones replaced by class 0 (any valid class; their weight is 0). */
  labels: string;
  /** Per-sample weight [N, d…], or undefined when every sample weighs 1. */
  weights?: string;
}

function sampleWeights(ctx: RuleContext, scores: string): SampleWeights {
  const labels = ctx.input(1);
  const ignoreIndex = ctx.node.attributes.ignore_index === undefined ? undefined : getInt(ctx.node, "ignore_index", 0);
  let safe = labels;
  let keep: string | undefined;
  if (ignoreIndex !== undefined) {
    const labelType = ctx.info.dataType(labels);
    const ignored = ctx.emit("Equal", [labels, ctx.constant("ignore_index", ignoreIndex, labelType, [])], "ignored");
    safe = ctx.emit("Where", [ignored, ctx.constant("class_0", 0, labelType, []), labels], "kept_labels");
    keep = ctx.emit("CastLike", [ctx.emit("Not", [ignored], "kept"), scores], "kept_weight");
  }
  let weights = keep;
  if (ctx.hasInput(2)) {
    const classWeight = ctx.emit("Gather", [ctx.input(2), safe], "class_weight");
    weights = keep ? ctx.emit("Mul", [classWeight, keep], "sample_weight") : classWeight;
  }
  return { labels: safe, weights };
}

/** Per-sample factor multiplying (softmax − onehot): w ⊙ dLoss, divided by Σ w (or the count) for the mean. */
function sampleScale(ctx: RuleContext, weights: string | undefined, scores: string): string {
  const reduction = getString(ctx.node, "reduction", "mean");
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") throw ctx.error(`unknown reduction '${reduction}'`);
  let scale = ctx.gradOut(0);
  if (weights) scale = ctx.emit("Mul", [scale, weights], "weighted_dLoss");
  if (reduction !== "mean") return scale;
  const keepdims: Attribute = { kind: "int", value: 0 };
  const denominator = weights
    ? ctx.emit("ReduceSum", [weights], "weight_sum", { keepdims })
    : ctx.emit("CastLike", [ctx.emit("Size", [ctx.input(1)], "sample_count_int"), scores], "sample_count");
  return ctx.emit("Div", [scale, denominator], "scaled_dLoss");
}

/** onehot[n, c, …] = [label[n, …] = c], built from Equal (ONNX Runtime's OneHot has no double output). */
function oneHot(ctx: RuleContext, labels: string, classes: number, like: string): string {
  const rank = ctx.rank(like);
  const classIds = ctx.addInitializer("class_ids", {
    dataType: "int64",
    dims: [1, classes, ...new Array<number>(rank - 2).fill(1)],
    data: BigInt64Array.from({ length: classes }, (_, c) => BigInt(c)),
  });
  const typedIds = ctx.info.dataType(ctx.input(1)) === "int64" ? classIds : ctx.emit("CastLike", [classIds, labels], "class_ids_typed");
  const unsqueezed = ctx.emit("Unsqueeze", [labels, ctx.int64s("label_class_axis", [1])], "labels_per_class");
  return ctx.emit("CastLike", [ctx.emit("Equal", [unsqueezed, typedIds], "is_label"), like], "onehot");
}

const softmaxCrossEntropyLoss: GradientRule = {
  nonDifferentiable: [1, 2],
  backward: (ctx) => {
    const scores = ctx.input(0);
    const classes = ctx.info.shape(scores)[1];
    if (typeof classes !== "number") throw ctx.error(`the gradient needs the static class count (axis 1) of '${scores}'`);
    const logProb = logProbabilities(ctx);
    let dScores: string | undefined;
    if (ctx.hasGradOut(0)) {
      const { labels, weights } = sampleWeights(ctx, scores);
      const onehot = oneHot(ctx, labels, classes, scores);
      const residual = ctx.emit("Sub", [ctx.emit("Exp", [logProb], "softmax"), onehot], "softmax_minus_onehot");
      let scale = sampleScale(ctx, weights, scores);
      if (weights || getString(ctx.node, "reduction", "mean") === "none") {
        scale = ctx.emit("Unsqueeze", [scale, ctx.int64s("class_axis", [1])], "scale_per_class");
      }
      // dScores = (softmax − onehot) ⊙ w ⊙ dLoss / Σw
      dScores = ctx.emit("Mul", [residual, scale], "dScores");
    }
    if (ctx.hasGradOut(1)) {
      // log_prob is LogSoftmax(scores, axis 1): its gradient adds on
      const fromLogProb = logSoftmaxGradient(ctx, logProb, ctx.gradOut(1), [1]);
      dScores = dScores ? ctx.emit("Add", [dScores, fromLogProb], "dScores_total") : fromLogProb;
    }
    return [dScores];
  },
};

export const lossRules: Record<string, GradientRule> = { SoftmaxCrossEntropyLoss: softmaxCrossEntropyLoss };
