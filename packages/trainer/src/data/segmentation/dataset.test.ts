import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporaryFolder } from "../testing/images.ts";
import { camvidClasses, classListOf, defaultColour, parseClassList, parseCodes } from "./classes.ts";
import { readSegmentationCsv } from "./csv.ts";
import { readSegmentationFolder } from "./folder.ts";
import { formatSegmentationSummary, splitSegmentation, summarizeSegmentation } from "./summary.ts";
import { encodePairImage, quadrants, writeColourMask, writeMask, writePairImage } from "./testing/masks.ts";

const folder = temporaryFolder("runboard-seg-");
afterAll(() => folder.remove());

const W = 8;
const H = 6;
/** Quadrant classes with the top row void (255): 8 void, 8 + 8 + 12 + 12 class pixels. */
const withVoidRow = (x: number, y: number) => (y === 0 ? 255 : quadrants(W, H)(x, y));

describe("readSegmentationFolder, flat layout with classes.json", () => {
  const root = join(folder.path, "flat");
  beforeAll(async () => {
    await writeFile(join(await mkdirp(root), "classes.json"), JSON.stringify({ classes: ["a", { name: "b", colour: [1, 2, 3] }, "c", "d"], ignoreIndex: 255 }));
    for (const name of ["p1", "p2"]) {
      await writePairImage(join(root, "images", `${name}.jpg`), W, H, quadrants(W, H), "jpeg");
      await writeMask(join(root, "labels", `${name}.png`), W, H, withVoidRow);
    }
    // hostile pairs
    await writePairImage(join(root, "images", "big_mask.png"), W, H, quadrants(W, H));
    await writeMask(join(root, "labels", "big_mask.png"), W + 1, H, quadrants(W + 1, H));
    await writePairImage(join(root, "images", "bad_index.png"), W, H, quadrants(W, H));
    await writeMask(join(root, "labels", "bad_index.png"), W, H, (x, y) => (x === 0 && y === 0 ? 7 : 0));
    await writePairImage(join(root, "images", "no_mask.png"), W, H, quadrants(W, H));
    await writeMask(join(root, "labels", "orphan.png"), W, H, () => 0);
    await writePairImage(join(root, "images", "jpeg_mask.png"), W, H, quadrants(W, H));
    await writeFile(join(root, "labels", "jpeg_mask.jpg"), await encodePairImage(W, H, () => 0, "jpeg"));
    await writePairImage(join(root, "images", "colour_mask.png"), W, H, quadrants(W, H));
    await writeColourMask(join(root, "labels", "colour_mask.png"), W, H, () => 0, [[9, 9, 200]]);
    await writeFile(join(root, "images", "notes.txt"), "not an image");
  });

  it("pairs images with masks by stem and counts pixels per class", async () => {
    const dataset = await readSegmentationFolder(root);
    expect(dataset.classSource).toBe("classes.json");
    expect(dataset.classes.names).toEqual(["a", "b", "c", "d"]);
    expect(dataset.classes.colours[1]).toEqual([1, 2, 3]);
    expect(dataset.classes.colours[0]).toEqual(defaultColour(0));
    expect(dataset.classes.ignoreIndex).toBe(255);
    expect(dataset.items.map((i) => [i.relativePath, i.maskRelativePath])).toEqual([
      ["images/p1.jpg", "labels/p1.png"],
      ["images/p2.jpg", "labels/p2.png"],
    ]);
    expect(dataset.items[0]).toMatchObject({ width: W, height: H, pixelCounts: [8, 8, 12, 12], ignoredPixels: 8 });
    expect(dataset.items[0]?.split).toBeUndefined();
    expect(dataset.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("skips hostile pairs with a reason that names the file", async () => {
    const dataset = await readSegmentationFolder(root);
    const reasons = Object.fromEntries(dataset.skipped.map((s) => [s.relativePath, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      "images/bad_index.png",
      "images/big_mask.png",
      "images/colour_mask.png",
      "images/jpeg_mask.png",
      "images/no_mask.png",
      "images/notes.txt",
      "labels/orphan.png",
    ]);
    expect(reasons["images/big_mask.png"]).toBe("mask labels/big_mask.png is 9×6 but the image is 8×6");
    expect(reasons["images/bad_index.png"]).toBe("mask labels/bad_index.png has values outside the 4 classes (0-3) and the ignore index 255: 7 (1 pixels)");
    expect(reasons["images/no_mask.png"]).toMatch(/^no mask labels\/no_mask\.png/);
    expect(reasons["labels/orphan.png"]).toBe("no image in images/ for this mask");
    expect(reasons["images/jpeg_mask.png"]).toMatch(/^mask labels\/jpeg_mask\.jpg: mask is jpeg; masks must be lossless/);
    expect(reasons["images/colour_mask.png"]).toMatch(/^mask labels\/colour_mask\.png: mask colour \[9, 9, 200\] at x=0, y=0 is not the colour of any class/);
    expect(reasons["images/notes.txt"]).toMatch(/not an image file/);
  });

  it("changes its content hash when a mask changes", async () => {
    const before = (await readSegmentationFolder(root)).contentHash;
    const copy = join(folder.path, "flat-copy");
    await writeFile(join(await mkdirp(copy), "classes.json"), JSON.stringify(["a", "b", "c", "d"]));
    await writePairImage(join(copy, "images", "p1.jpg"), W, H, quadrants(W, H), "jpeg");
    await writeMask(join(copy, "labels", "p1.png"), W, H, withVoidRow);
    const first = (await readSegmentationFolder(copy)).contentHash;
    await writeMask(join(copy, "labels", "p1.png"), W, H, quadrants(W, H));
    expect((await readSegmentationFolder(copy)).contentHash).not.toBe(first);
    expect(first).not.toBe(before);
  });

  it("refuses a folder without an image and a mask folder, naming what it expected", async () => {
    const empty = await mkdirp(join(folder.path, "nothing", "photos"));
    await expect(readSegmentationFolder(join(empty, ".."))).rejects.toThrow(
      /expected an image folder \(images\|imgs\|img\|image\) and a mask folder \(labels\|masks/,
    );
    await expect(readSegmentationFolder(join(folder.path, "absent"))).rejects.toThrow(/does not exist/);
  });
});

describe("readSegmentationFolder, train/val layout", () => {
  const root = join(folder.path, "split");
  beforeAll(async () => {
    await mkdirp(root);
    await writeFile(join(root, "codes.txt"), "left\nright\n");
    const halves = (x: number) => (x < W / 2 ? 0 : 1);
    for (const [part, count] of [
      ["train", 3],
      ["val", 2],
    ] as const) {
      for (let i = 0; i < count; i++) {
        await writePairImage(join(root, part, "images", `${part}${i}.png`), W, H, halves);
        await writeMask(join(root, part, "masks", `${part}${i}_P.png`), W, H, (x, y) => (y === H - 1 ? 9 : halves(x)));
      }
    }
  });

  it("takes the split from the folders, codes.txt for the names and the suffix for the masks", async () => {
    const dataset = await readSegmentationFolder(root, { maskSuffix: "_P", ignoreIndex: 9 });
    expect(dataset.classSource).toBe("codes.txt");
    expect(dataset.classes).toMatchObject({ names: ["left", "right"], ignoreIndex: 9 });
    expect(dataset.skipped).toEqual([]);
    expect(dataset.items.map((i) => `${i.split}:${i.maskRelativePath}`)).toEqual([
      "train:train/masks/train0_P.png",
      "train:train/masks/train1_P.png",
      "train:train/masks/train2_P.png",
      "valid:val/masks/val0_P.png",
      "valid:val/masks/val1_P.png",
    ]);
    const split = splitSegmentation(dataset);
    expect(split).toEqual({ train: [0, 1, 2], valid: [3, 4] });
    const summary = summarizeSegmentation(dataset, split);
    expect(summary.classes).toEqual([
      { name: "left", pixels: { train: 60, valid: 40 }, fraction: 0.5, images: { train: 3, valid: 2 } },
      { name: "right", pixels: { train: 60, valid: 40 }, fraction: 0.5, images: { train: 3, valid: 2 } },
    ]);
    expect(summary.ignoredPixels).toEqual({ train: 24, valid: 16 });
    const text = formatSegmentationSummary(summary);
    expect(text).toContain("left");
    expect(text).toMatch(/ignored \(9\)\s+24\s+16/);
    expect(text).toContain("images: 3 train, 2 valid");
  });

  it("without the suffix, every image lacks its mask and the error lists them", async () => {
    await expect(readSegmentationFolder(root, { ignoreIndex: 9 })).rejects.toThrow(
      /no usable image\/mask pairs; 10 skipped:\n {2}train\/images\/train0\.png: no mask train\/masks\/train0\.png/,
    );
  });

  it("refuses masks whose void value is not the ignore index (255 by default)", async () => {
    const dataset = await readSegmentationFolder(root, { maskSuffix: "_P", classes: classListOf(["left", "right"]) }).catch((e: Error) => e);
    expect(dataset).toBeInstanceOf(Error);
    expect((dataset as Error).message).toMatch(
      /train\/images\/train0\.png: mask train\/masks\/train0_P\.png has values outside the 2 classes \(0-1\) and the ignore index 255: 9 \(8 pixels\)/,
    );
  });
});

describe("derived classes and colour masks", () => {
  it("derives classes 0…max from the masks when no class list is given, 255 ignored", async () => {
    const root = join(folder.path, "derived");
    await writePairImage(join(root, "images", "a.png"), W, H, quadrants(W, H));
    await writeMask(join(root, "masks", "a.png"), W, H, withVoidRow);
    const dataset = await readSegmentationFolder(root);
    expect(dataset.classSource).toBe("derived");
    expect(dataset.classes.names).toEqual(["0", "1", "2", "3"]);
    expect(dataset.items[0]?.pixelCounts).toEqual([8, 8, 12, 12]);
  });

  it("maps colour masks to indices through the class colours", async () => {
    const root = join(folder.path, "colour");
    const classes = { ...classListOf(["x", "y", "z", "w"]), ignoreColour: [7, 7, 7] as [number, number, number] };
    await writePairImage(join(root, "images", "a.png"), W, H, quadrants(W, H));
    await writeColourMask(join(root, "masks", "a.png"), W, H, (x, y) => (y === 0 ? 4 : quadrants(W, H)(x, y)), [...classes.colours, classes.ignoreColour]);
    const dataset = await readSegmentationFolder(root, { classes });
    expect(dataset.skipped).toEqual([]);
    expect(dataset.items[0]).toMatchObject({ pixelCounts: [8, 8, 12, 12], ignoredPixels: 8 });
  });
});

describe("readSegmentationCsv", () => {
  const root = join(folder.path, "csv");
  beforeAll(async () => {
    await writePairImage(join(root, "img", "a.png"), W, H, quadrants(W, H));
    await writeMask(join(root, "ann", "a.png"), W, H, quadrants(W, H));
    await writePairImage(join(root, "img", "b.png"), W, H, quadrants(W, H));
    await writeMask(join(root, "ann", "b.png"), W, H, withVoidRow);
    await writePairImage(join(root, "img", "c.png"), W, H, quadrants(W, H));
  });

  it("reads image,mask,split rows and skips a row whose mask is missing, naming the line", async () => {
    const csv = join(root, "pairs.csv");
    await writeFile(csv, "image,mask,split\nimg/a.png,ann/a.png,train\nimg/b.png,ann/b.png,val\nimg/c.png,ann/c.png,train\n");
    const dataset = await readSegmentationCsv(csv, { classes: classListOf(["a", "b", "c", "d"]) });
    expect(dataset.items.map((i) => [i.relativePath, i.split, i.ignoredPixels])).toEqual([
      ["img/a.png", "train", 0],
      ["img/b.png", "valid", 8],
    ]);
    expect(dataset.skipped).toEqual([{ relativePath: "img/c.png", reason: "mask ann/c.png not found (pairs.csv line 4)" }]);
  });

  it("refuses paths that leave the CSV's folder and unknown splits", async () => {
    const escaping = join(root, "escape.csv");
    await writeFile(escaping, "image,mask\n../x.png,ann/a.png\n");
    await expect(readSegmentationCsv(escaping)).rejects.toThrow('escape.csv line 2: field "image" must stay inside the CSV\'s folder');
    const badSplit = join(root, "split.csv");
    await writeFile(badSplit, "image,mask,split\nimg/a.png,ann/a.png,test\n");
    await expect(readSegmentationCsv(badSplit)).rejects.toThrow('split.csv line 2: field "split" must be train, valid or val, got "test"');
    const header = join(root, "header.csv");
    await writeFile(header, "path,label\n");
    await expect(readSegmentationCsv(header)).rejects.toThrow(/unknown column "path"/);
  });
});

describe("class lists", () => {
  it("parses JSON and codes.txt and refuses inconsistent lists", () => {
    expect(parseClassList('{"classes": ["sky", "road"], "ignoreIndex": 2}')).toMatchObject({ names: ["sky", "road"], ignoreIndex: 2 });
    expect(parseCodes("Animal\r\nArchway\n\n").names).toEqual(["Animal", "Archway"]);
    expect(() => parseClassList('["a", "a"]')).toThrow(/class name "a" appears twice/);
    expect(() => parseClassList('{"classes": ["a", "b", "c"], "ignoreIndex": 1}')).toThrow(/ignoreIndex 1 is the index of class "b"/);
    expect(() => parseClassList('{"classes": ["a", "b"], "ignoreIndex": 300}')).toThrow(/ignoreIndex must be an integer from 0 to 255/);
    expect(() => parseClassList('{"classes": ["a", {"name": "b", "colour": [1, 2]}]}')).toThrow(/colour of class "b"/);
    expect(() => parseClassList('{"classes": ["a", "b"], "void": 3}')).toThrow(/unknown field "void"/);
    expect(() => parseClassList("{")).toThrow(/not valid JSON/);
  });

  it("gives distinct default colours and CamVid's 11 classes with void at 11", () => {
    const colours = new Set(Array.from({ length: 40 }, (_, i) => defaultColour(i).join(",")));
    expect(colours.size).toBe(40);
    expect(colours.has("0,0,0")).toBe(false);
    expect(camvidClasses.names).toHaveLength(11);
    expect(camvidClasses.ignoreIndex).toBe(11);
  });
});

async function mkdirp(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  return path;
}
