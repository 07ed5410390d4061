/**
 * Compiled train and eval sessions per trainable set, so freeze → unfreeze → freeze does not
 * rebuild graphs. A session bakes the frozen parameters' values at build time; once any of
 * those parameters has trained since, the session is stale and is dropped.
 */
import type { RuntimeSession } from "../runtime/index.ts";

export interface CompiledTrainStep {
  session: RuntimeSession;
  /** Feed name → the output with its next value. */
  carried: Map<string, string>;
}

interface Entry {
  trainable: Set<string>;
  train?: Promise<CompiledTrainStep>;
  eval?: Promise<RuntimeSession>;
}

export class GraphCache {
  private readonly entries = new Map<string, Entry>();

  train(key: string, trainable: readonly string[], build: () => Promise<CompiledTrainStep>): Promise<CompiledTrainStep> {
    const entry = this.entry(key, trainable);
    entry.train ??= build();
    return entry.train;
  }

  eval(key: string, trainable: readonly string[], build: () => Promise<RuntimeSession>): Promise<RuntimeSession> {
    const entry = this.entry(key, trainable);
    entry.eval ??= build();
    return entry.eval;
  }

  /** Drops sessions that baked a parameter from `trained` as a constant. */
  async invalidate(trained: readonly string[]): Promise<void> {
    for (const [key, entry] of this.entries) {
      if (trained.every((name) => entry.trainable.has(name))) continue;
      this.entries.delete(key);
      await release(entry);
    }
  }

  async clear(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) await release(entry);
  }

  get size(): number {
    return this.entries.size;
  }

  private entry(key: string, trainable: readonly string[]): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { trainable: new Set(trainable) };
      this.entries.set(key, entry);
    }
    return entry;
  }
}

async function release(entry: Entry): Promise<void> {
  const train = await entry.train?.catch(() => undefined);
  // Writes the profile when profiling is on (a no-op otherwise).
  train?.session.endProfiling();
  await train?.session.release();
  const evaluation = await entry.eval?.catch(() => undefined);
  await evaluation?.release();
}
