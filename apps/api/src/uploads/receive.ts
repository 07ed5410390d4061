/** The request body streamed to one file, refused past a byte limit (the route then closes the connection). */
import { createWriteStream } from "node:fs";
import type { IncomingMessage } from "node:http";
import { badInput } from "@runboard/db";

const mebibytes = (bytes: number): string => `${Math.round(bytes / 1024 ** 2)} MiB`;

export async function receiveBody(request: IncomingMessage, path: string, maxBytes: number): Promise<number> {
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path, { flags: "wx" });
    const fail = (error: unknown) => {
      request.unpipe(out);
      out.destroy();
      reject(error);
    };
    request.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) fail(badInput("body", `an upload may be at most ${mebibytes(maxBytes)}`));
    });
    request.on("error", fail);
    request.on("close", () => {
      if (!request.complete) fail(new Error("the upload was interrupted"));
    });
    out.on("error", fail).on("close", () => resolve());
    request.pipe(out);
  });
  if (bytes === 0) throw badInput("body", "must not be empty");
  return bytes;
}
