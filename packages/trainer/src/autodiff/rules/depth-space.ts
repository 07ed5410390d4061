/**
 * DepthToSpace (PixelShuffle, the upsampling of fastai's U-Net decoder) and SpaceToDepth only
 * move values: the gradient moves them back. SpaceToDepth is the inverse of DepthToSpace in DCR
 * mode, so each is the other's gradient there; CRD mode undoes its permutation with
 * Reshape–Transpose–Reshape.
 */
import { getInt, getString } from "../../onnx/ir.ts";
import type { RuleContext } from "../context.ts";
import type { GradientRule } from "../rule.ts";

function blocksize(ctx: RuleContext): number {
  const block = getInt(ctx.node, "blocksize", 0);
  if (!Number.isInteger(block) || block < 1) throw ctx.error(`attribute blocksize must be a positive integer, got ${block}`);
  return block;
}

/** C, H, W of the op's input, which the CRD gradient needs as numbers. */
function staticChannelsAndSpace(ctx: RuleContext): [number, number, number] {
  const [, c, h, w] = ctx.info.shape(ctx.input(0));
  if (typeof c !== "number" || typeof h !== "number" || typeof w !== "number") throw ctx.error(`the gradient needs static C, H, W of '${ctx.input(0)}'`);
  return [c, h, w];
}

const depthToSpace: GradientRule = {
  backward: (ctx) => {
    const block = blocksize(ctx);
    const blockAttribute = { blocksize: { kind: "int" as const, value: block } };
    // DCR: Y = DepthToSpace(X) is undone by SpaceToDepth, and a permutation's gradient is its inverse
    if (getString(ctx.node, "mode", "DCR") === "DCR") return [ctx.emit("SpaceToDepth", [ctx.gradOut(0)], "dX", blockAttribute)];
    // CRD: forward is reshape [N, C/b², b, b, H, W] → transpose (0, 1, 4, 2, 5, 3) → [N, C/b², H·b, W·b]
    const [c, h, w] = staticChannelsAndSpace(ctx);
    const split = ctx.emit("Reshape", [ctx.gradOut(0), ctx.int64s("dY_blocks_shape", [0, c / (block * block), h, block, w, block])], "dY_blocks");
    const back = ctx.emit("Transpose", [split], "dX_blocks", { perm: { kind: "ints", value: [0, 1, 3, 5, 2, 4] } });
    return [ctx.emit("Reshape", [back, ctx.int64s("X_shape", [0, c, h, w])], "dX")];
  },
};

const spaceToDepth: GradientRule = {
  // SpaceToDepth is undone by DepthToSpace in DCR mode
  backward: (ctx) => [
    ctx.emit("DepthToSpace", [ctx.gradOut(0)], "dX", { blocksize: { kind: "int", value: blocksize(ctx) }, mode: { kind: "string", value: "DCR" } }),
  ],
};

export const depthSpaceRules: Record<string, GradientRule> = { DepthToSpace: depthToSpace, SpaceToDepth: spaceToDepth };
