/**
 * The vocabulary every gradient rule speaks: forward input(i)/output(i), gradOut(i) (the
 * gradient arriving at output i), needsGrad(i), and emit() of nodes whose tensors are named
 * `<node>_grad/<label>`, so generated graphs read well in Netron.
 */
import type { Attribute, DataType, Dim, Node, Tensor } from "../onnx/ir.ts";
import type { BackwardBuilder, DepthwiseWeightGradient } from "./builder.ts";
import type { GraphInfo } from "./graph-info.ts";

export class RuleContext {
  readonly info: GraphInfo;
  readonly opset: number;
  readonly depthwiseWeightGradient: DepthwiseWeightGradient;
  readonly nchwcBlockSize: number;

  constructor(
    readonly node: Node,
    private readonly builder: BackwardBuilder,
    private readonly outputGradients: readonly (string | undefined)[],
    private readonly inputNeedsGrad: readonly boolean[],
  ) {
    this.info = builder.info;
    this.opset = builder.opset;
    this.depthwiseWeightGradient = builder.depthwiseWeightGradient;
    this.nchwcBlockSize = builder.nchwcBlockSize;
  }

  input(i: number): string {
    const name = this.node.inputs[i];
    if (!name) throw this.error(`input ${i} is missing`);
    return name;
  }

  hasInput(i: number): boolean {
    return Boolean(this.node.inputs[i]);
  }

  output(i: number): string {
    const name = this.node.outputs[i];
    if (!name) throw this.error(`output ${i} is missing`);
    return name;
  }

  hasGradOut(i: number): boolean {
    return this.outputGradients[i] !== undefined;
  }

  gradOut(i: number): string {
    const name = this.outputGradients[i];
    if (name === undefined) throw this.error(`the gradient of output ${i} is needed but nothing consumes that output`);
    return name;
  }

  needsGrad(i: number): boolean {
    return this.inputNeedsGrad[i] === true;
  }

  /** A gradient in the shape of output(0), which the walker sums back to the input's shape. */
  broadcastGrad(name: string): { name: string; shape: Dim[] } {
    return { name, shape: this.info.shape(this.output(0)) };
  }

  temp(label: string): string {
    return `${this.node.name}_grad/${label}`;
  }

  emit(opType: string, inputs: readonly string[], label: string, attributes: Record<string, Attribute> = {}, domain = ""): string {
    const [name] = this.builder.addNode(opType, inputs, [this.temp(label)], attributes, domain);
    return name!;
  }

  emitOutputs(opType: string, inputs: readonly string[], labels: readonly string[], attributes: Record<string, Attribute> = {}): string[] {
    return this.builder.addNode(
      opType,
      inputs,
      labels.map((l) => this.temp(l)),
      attributes,
    );
  }

  int64s(label: string, values: readonly number[]): string {
    return this.builder.int64s(this.temp(label), values);
  }

  /** A scalar constant of `like`'s element type. */
  scalar(label: string, value: number, like: string): string {
    return this.builder.filled(this.temp(label), value, this.info.dataType(like));
  }

  constant(label: string, value: number, dataType: DataType, dims: number[]): string {
    return this.builder.filled(this.temp(label), value, dataType, dims);
  }

  addInitializer(label: string, tensor: Tensor): string {
    return this.builder.addInitializer(this.temp(label), tensor);
  }

  rank(name: string): number {
    return this.info.shape(name).length;
  }

  /** A tensor holding `name`'s shape: a constant when static, else a Shape node. */
  shapeOf(name: string, label: string): string {
    const known = this.info.staticShape(name);
    if (known) return this.int64s(label, known);
    return this.emit("Shape", [name], label);
  }

  /** A static shape, or an error naming the tensor and this node. */
  requireStaticShape(name: string): number[] {
    const shape = this.info.staticShape(name);
    if (!shape) throw this.error(`the gradient needs the static shape of '${name}' (got [${this.info.info(name)?.shape ?? "unknown"}])`);
    return shape;
  }

  error(message: string): Error {
    return new Error(`${this.node.opType} node '${this.node.name}': ${message}`);
  }
}
