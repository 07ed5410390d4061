import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { temporaryFolder } from "../data/testing/images.ts";
import { main } from "./main.ts";
import { INCOMPLETE_MARKER, Interrupted, writeRunFolder } from "./output-folder.ts";
import { writeFileAtomically } from "./run-record.ts";

const folder = temporaryFolder("runboard-output-folder-");
afterAll(() => folder.remove());

/** Runs the CLI in this process, capturing stderr. */
async function cli(...args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = "";
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    return { status: await main(args), stderr };
  } finally {
    process.stderr.write = write;
  }
}

describe("writing a run folder", () => {
  it("removes the INCOMPLETE marker once every file is written", async () => {
    const dir = join(folder.path, "complete");
    await writeRunFolder(dir, [() => writeFileAtomically(join(dir, "a.json"), "{}\n"), () => writeFileAtomically(join(dir, "b.json"), "{}\n")]);
    expect(readdirSync(dir).sort()).toEqual(["a.json", "b.json"]);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} while a file is written: that file is finished, the next is not started, the folder stays marked`, async () => {
      // The signal goes to this process: vitest must run the file in a child process of its own
      // (pool "forks", the default), not in a worker thread of the process that runs every file.
      expect(isMainThread).toBe(true);
      const dir = join(folder.path, signal);
      const listeners = process.listenerCount(signal);
      const written: string[] = [];
      const writing = writeRunFolder(dir, [
        async () => {
          // A real signal to this process, delivered while the first file is being written.
          process.kill(process.pid, signal);
          await new Promise((resolve) => setTimeout(resolve, 100));
          writeFileAtomically(join(dir, "model.onnx"), "model");
          written.push("model.onnx");
        },
        () => {
          writeFileAtomically(join(dir, "run.json"), "{}\n");
          written.push("run.json");
        },
      ]);
      const error = await writing.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(Interrupted);
      expect((error as Interrupted).exitCode).toBe(signal === "SIGTERM" ? 143 : 130);
      expect((error as Interrupted).message).toMatch(new RegExp(`interrupted by ${signal} while writing .*marked incomplete \\(INCOMPLETE\\)`));
      expect(written).toEqual(["model.onnx"]);
      // No temporary files: only the finished file and the marker.
      expect(readdirSync(dir).sort()).toEqual([INCOMPLETE_MARKER, "model.onnx"]);
      expect(process.listenerCount(signal)).toBe(listeners);
    });
  }

  it("predict, interpret and export refuse a folder marked incomplete, naming it", async () => {
    const dir = join(folder.path, "interrupted-run");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "model.onnx"), "not read: the marker is checked first");
    writeFileSync(join(dir, "run.json"), "{}");
    writeFileSync(join(dir, INCOMPLETE_MARKER), "");
    const image = join(folder.path, "x.png");
    writeFileSync(image, "");
    for (const args of [
      ["predict", join(dir, "model.onnx"), image],
      ["interpret", dir],
      ["interpret", join(dir, "model.onnx")],
      ["export", dir],
    ]) {
      const result = await cli(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`run folder '${dir}' is incomplete \\(it has INCOMPLETE: its writing was interrupted\\); train again with --out`),
      );
    }
    expect(existsSync(join(dir, "interpretation"))).toBe(false);
  });
});
