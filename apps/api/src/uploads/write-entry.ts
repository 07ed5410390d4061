/** Writes one admitted archive entry below the extraction folder, never over an existing file. */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { badInput } from "@runboard/db";

/** The absolute target of a relative entry path; checked again here so no caller can escape `root`. */
export function targetOf(root: string, path: string): string {
  const target = resolve(root, path);
  const inside = relative(resolve(root), target);
  if (inside === "" || inside.startsWith("..")) throw badInput("body", `entry ${JSON.stringify(path)}: must stay inside the upload`);
  return target;
}

export async function makeFolder(root: string, path: string): Promise<void> {
  await mkdir(targetOf(root, path), { recursive: true });
}

/** `wx`: a second entry of the same name is refused instead of overwriting the first. */
/** What both archive readers hand out: a Node stream (yauzl) or a Minipass stream (node-tar). */
export interface EntryContent {
  pipe(destination: NodeJS.WritableStream): unknown;
  on(event: "error", listener: (error: unknown) => void): unknown;
}

/** `signal` stops a write whose archive was refused midway (its entry will never end). */
export async function writeEntry(root: string, path: string, content: EntryContent, signal?: AbortSignal): Promise<void> {
  const target = targetOf(root, path);
  await mkdir(dirname(target), { recursive: true });
  try {
    // pipe, not stream.pipeline: node-tar's entries are Minipass streams.
    await new Promise<void>((done, fail) => {
      const out = createWriteStream(target, { flags: "wx" });
      const stop = () => {
        out.destroy();
        fail(signal?.reason);
      };
      out.on("error", fail).on("close", () => {
        signal?.removeEventListener("abort", stop);
        done();
      });
      content.on("error", fail);
      if (signal?.aborted) stop();
      signal?.addEventListener("abort", stop, { once: true });
      content.pipe(out);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw badInput("body", `entry ${JSON.stringify(path)}: appears twice in the archive`);
    throw error;
  }
}
