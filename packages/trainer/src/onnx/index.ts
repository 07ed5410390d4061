/** The ONNX layer: IR, protobuf I/O, building, shape inference, graph tools, folding, validation. */
export * from "./ir.ts";
export * from "./serialize.ts";
export * from "./builder.ts";
export { broadcastShapes, dataTypeFromCode, codeFromDataType, formatShape, isFixedShape, productOfDims } from "./dims.ts";
export { inferShapes, shapeOf, dataTypeOf, hasShapeRule, SHAPE_RULES } from "./shape-inference.ts";
export type { ShapeContext, ShapeRule } from "./shape-context.ts";
export * from "./graph-tools.ts";
export * from "./fold-constants.ts";
export * from "./validate.ts";
export { evaluateGraph, toOrtTensor, fromOrtTensor, type EvaluateOptions } from "./evaluate.ts";
