import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "./csv-parse.ts";
import { readImageCsv } from "./csv-source.ts";
import { temporaryFolder, writeClassFolders } from "./testing/images.ts";

const folder = temporaryFolder();
afterAll(() => folder.remove());

async function csv(name: string, text: string): Promise<string> {
  const path = join(folder.path, name);
  await writeFile(path, text);
  return path;
}

describe("parseCsv", () => {
  it("handles quotes, doubled quotes, CRLF and blank lines, with line numbers", () => {
    const rows = parseCsv('path,label\r\n"a,b.png","say ""hi"""\r\n\r\nc.png,x\n');
    expect(rows).toEqual([
      { line: 1, fields: ["path", "label"] },
      { line: 2, fields: ["a,b.png", 'say "hi"'] },
      { line: 4, fields: ["c.png", "x"] },
    ]);
    expect(() => parseCsv('path,label\n"open,x\n')).toThrow(/line 2: a quoted field is not closed/);
  });
});

describe("readImageCsv", () => {
  beforeAll(async () => {
    await writeClassFolders(join(folder.path, "images"), { cat: 3, dog: 3 });
    await mkdir(join(folder.path, "sub"), { recursive: true });
  });

  it("reads path,label,fold relative to the CSV and reports missing files", async () => {
    const path = await csv(
      "labels.csv",
      "path,label,fold\nimages/cat/cat_000.png,cat,0\nimages/cat/cat_001.png,cat,1\nimages/dog/dog_000.png,dog,0\n" +
        "images/dog/dog_001.png,dog,1\nimages/dog/gone.png,dog,1\n",
    );
    const dataset = await readImageCsv(path);
    expect(dataset.classes).toEqual(["cat", "dog"]);
    expect(dataset.items.map((i) => [i.relativePath, i.label, i.fold])).toEqual([
      ["images/cat/cat_000.png", 0, 0],
      ["images/cat/cat_001.png", 0, 1],
      ["images/dog/dog_000.png", 1, 0],
      ["images/dog/dog_001.png", 1, 1],
    ]);
    expect(dataset.skipped).toEqual([{ relativePath: "images/dog/gone.png", reason: "file not found (labels.csv line 6)" }]);
  });

  it("accepts a header in any case and order, without fold", async () => {
    const path = await csv("swapped.csv", "Label,PATH\ncat,images/cat/cat_002.png\ndog,images/dog/dog_002.png\n");
    const dataset = await readImageCsv(path);
    expect(dataset.items.map((i) => [i.relativePath, i.label, i.fold])).toEqual([
      ["images/cat/cat_002.png", 0, undefined],
      ["images/dog/dog_002.png", 1, undefined],
    ]);
  });

  it.each([
    ["", /empty\.csv: is empty/],
    ["path,lable\n", /line 1: unknown column "lable"/],
    ["path\n", /line 1: unknown column|missing column "label"/],
    ["path,label\nimages/cat/cat_000.png,\n", /line 2: field "label" is empty/],
    ["path,label,fold\nimages/cat/cat_000.png,cat,-1\n", /line 2: field "fold" must be a non-negative integer, got "-1"/],
    ["path,label\n/etc/passwd,cat\n", /line 2: field "path" must be relative/],
    ["path,label\n../outside.png,cat\n", /line 2: field "path" must stay inside/],
    ["path,label\nimages/cat/cat_000.png,cat\nimages/cat/cat_000.png,dog\n", /line 3: field "path" repeats images\/cat\/cat_000.png from line 2/],
  ])("rejects bad input %j naming line and field", async (text, error) => {
    const path = await csv(text === "" ? "empty.csv" : "bad.csv", text);
    await expect(readImageCsv(path)).rejects.toThrow(error);
  });

  it("names a missing CSV file", async () => {
    await expect(readImageCsv(join(folder.path, "nope.csv"))).rejects.toThrow(/nope\.csv: does not exist/);
  });
});
