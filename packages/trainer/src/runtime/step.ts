/**
 * Running a session step after step while parameters and optimizer state stay ort.Tensor
 * objects: each state output of one step is fed, as the same object, as the matching input
 * of the next. Nothing is copied into JS arrays between steps.
 */
import type * as ort from "onnxruntime-node";

/** A state input of the graph and the output that holds its value after the step. */
export interface StateBinding {
  input: string;
  output: string;
}

export interface StepRunnerOptions {
  state: StateBinding[];
  initialState: Record<string, ort.Tensor>;
  /** Outputs returned by every step besides the state (loss, accuracy, ...). */
  fetches?: string[];
}

export class StepRunner {
  private readonly current = new Map<string, ort.Tensor>();
  private readonly bindings: StateBinding[];
  private readonly fetches: string[];
  private steps = 0;

  constructor(
    private readonly session: ort.InferenceSession,
    options: StepRunnerOptions,
  ) {
    this.bindings = options.state;
    this.fetches = options.fetches ?? [];
    const inputs = new Set(session.inputNames);
    const outputs = new Set(session.outputNames);
    for (const [i, binding] of this.bindings.entries()) {
      if (!inputs.has(binding.input)) throw new Error(`state[${i}].input '${binding.input}' is not an input of the session`);
      if (!outputs.has(binding.output)) throw new Error(`state[${i}].output '${binding.output}' is not an output of the session`);
      const initial = options.initialState[binding.input];
      if (!initial) throw new Error(`initialState['${binding.input}'] is missing`);
      this.current.set(binding.input, initial);
    }
    for (const name of this.fetches) if (!outputs.has(name)) throw new Error(`fetches: '${name}' is not an output of the session`);
  }

  /** Runs one step on `feeds` (the batch and per-step scalars); returns the fetched outputs. */
  async step(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
    for (const name of Object.keys(feeds)) {
      if (this.current.has(name)) throw new Error(`feeds['${name}'] is a state input; the runner feeds it itself`);
    }
    const outputNames = [...new Set([...this.bindings.map((b) => b.output), ...this.fetches])];
    const results = await this.session.run({ ...feeds, ...Object.fromEntries(this.current) }, outputNames);
    for (const binding of this.bindings) this.current.set(binding.input, results[binding.output] as ort.Tensor);
    this.steps++;
    return Object.fromEntries(this.fetches.map((name) => [name, results[name] as ort.Tensor]));
  }

  /** The state after the last step, keyed by input name (for checkpoints and export). */
  state(): ReadonlyMap<string, ort.Tensor> {
    return this.current;
  }

  /** Replaces one state tensor (resume from a checkpoint, change a parameter). */
  setState(input: string, tensor: ort.Tensor): void {
    if (!this.current.has(input)) throw new Error(`setState: '${input}' is not a state input`);
    this.current.set(input, tensor);
  }

  get stepCount(): number {
    return this.steps;
  }
}
