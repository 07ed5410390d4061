import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultFileLimits } from "./dataset.ts";
import { decodeImage } from "./decode.ts";
import { checkImageFile } from "./file-check.ts";
import { defaultResizeOptions } from "./resize-plan.ts";
import { Random } from "./random.ts";
import { temporaryFolder, truncatedJpeg } from "./testing/images.ts";

const folder = temporaryFolder("runboard-decode-error-");
afterAll(() => folder.remove());

/** The PNG signature followed by bytes that are no PNG chunk: libvips says only "corrupt header:". */
const corruptPng = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20, 7)]);

describe("reasons a file cannot be decoded", () => {
  it("a corrupt PNG header: names the format and the size instead of ending in a bare colon", async () => {
    const path = join(folder.path, "corrupt.png");
    await writeFile(path, corruptPng);
    const check = await checkImageFile(path, defaultFileLimits);
    expect(check).toEqual({
      ok: false,
      reason: "not a decodable image: corrupt PNG header; the 28-byte file is truncated or damaged (the decoder gave no detail)",
    });
  });

  it("a truncated JPEG: the decoder's details on one line, each once", async () => {
    const path = join(folder.path, "truncated.jpg");
    const bytes = await truncatedJpeg();
    await writeFile(path, bytes.subarray(0, 40));
    const check = await checkImageFile(path, defaultFileLimits);
    expect(check.ok).toBe(false);
    const reason = check.ok ? "" : check.reason;
    expect(reason).toMatch(/^not a decodable image: corrupt JPEG header: \S/);
    expect(reason).not.toMatch(/\n|:$/);
    const details = reason.split(": ").slice(3).join(": ").split("; ");
    expect(new Set(details).size).toBe(details.length);
  });

  it("decoding for training or predict gives the same reason", async () => {
    const options = { size: { width: 8, height: 8 }, resize: defaultResizeOptions, alpha: "drop" as const, limits: defaultFileLimits };
    await expect(decodeImage(corruptPng, options, false, new Random(1))).rejects.toThrow(/^corrupt PNG header; the 28-byte file is truncated or damaged/);
  });
});
