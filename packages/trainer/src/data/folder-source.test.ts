import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentHash, describeSkipped } from "./build-dataset.ts";
import { readImageFolder } from "./folder-source.ts";
import { findSharedDataset } from "./repo-paths.ts";
import { countPerClass, stratifiedKFold } from "./split.ts";
import { classImage, temporaryFolder, truncatedJpeg, writeClassFolders, writeImage } from "./testing/images.ts";

const folder = temporaryFolder();
afterAll(() => folder.remove());

describe("readImageFolder, flat layout", () => {
  const root = join(folder.path, "flat");
  beforeAll(async () => {
    await writeClassFolders(root, { zebra: 3, ant: 4, bee: 2 });
    await writeFile(join(root, "ant", "notes.txt"), "not an image");
    await writeFile(join(root, "bee", "broken.jpg"), await truncatedJpeg());
    await writeFile(join(root, "bee", "empty.png"), "");
    await writeFile(join(root, "README.md"), "files in the root are not in a class");
    await mkdir(join(root, "zebra", "nested"), { recursive: true });
    await writeImage(join(root, "zebra", "nested", "deep.png"), classImage(2, 99), { format: "png" });
  });

  it("sorts class names and labels items by their top folder", async () => {
    const dataset = await readImageFolder(root);
    expect(dataset.classes).toEqual(["ant", "bee", "zebra"]);
    const perClass = dataset.classes.map((_, c) => dataset.items.filter((item) => item.label === c).length);
    expect(perClass).toEqual([4, 2, 4]);
    expect(dataset.items.some((item) => item.relativePath === "zebra/nested/deep.png")).toBe(true);
    expect(dataset.items.every((item) => item.split === undefined)).toBe(true);
  });

  it("skips, counts and explains unusable files without failing", async () => {
    const dataset = await readImageFolder(root);
    const reasons = Object.fromEntries(dataset.skipped.map((s) => [s.relativePath, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(["ant/notes.txt", "bee/broken.jpg", "bee/empty.png"]);
    expect(reasons["ant/notes.txt"]).toMatch(/not an image file.*\.txt/);
    expect(reasons["bee/broken.jpg"]).toMatch(/not a decodable image/);
    expect(describeSkipped(dataset)).toMatch(/^3 file\(s\) skipped/);
  });

  it("names the limit that rejected a file", async () => {
    const limited = join(folder.path, "limits");
    await writeClassFolders(limited, { a: 2, b: 2 });
    await writeImage(join(limited, "a", "big.png"), classImage(0, 5, 96, 96), { format: "png" });
    const byPixels = await readImageFolder(limited, { maxPixels: 24 * 20 });
    expect(byPixels.items).toHaveLength(4);
    expect(byPixels.skipped).toEqual([{ relativePath: "a/big.png", reason: expect.stringMatching(/96×96 = 9216 pixels, over the limit maxPixels=480/) }]);
    const smallSize = (await stat(join(limited, "a", "a_000.png"))).size;
    const bySize = await readImageFolder(limited, { maxFileBytes: smallSize + 200 });
    expect(bySize.skipped.map((s) => s.relativePath)).toEqual(["a/big.png"]);
    expect(bySize.skipped[0]?.reason).toMatch(new RegExp(`over the limit maxFileBytes=${smallSize + 200}`));
  });

  it("hashes content: stable, and sensitive to bytes and labels", async () => {
    const first = await readImageFolder(root);
    expect((await readImageFolder(root)).contentHash).toBe(first.contentHash);
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const copy = join(folder.path, "copy");
    await writeClassFolders(copy, { zebra: 3, ant: 4, bee: 2 });
    const before = (await readImageFolder(copy)).contentHash;
    await copyFile(join(copy, "ant", "ant_000.png"), join(copy, "ant", "ant_001.png"));
    const changed = await readImageFolder(copy);
    expect(changed.contentHash).not.toBe(before);
    const relabelled = changed.items.map((item, i) => (i === 0 ? { ...item, label: 1 - item.label } : item));
    expect(contentHash(relabelled, changed.classes)).not.toBe(changed.contentHash);
    expect(contentHash([...changed.items].reverse(), changed.classes)).toBe(changed.contentHash);
  });
});

describe("readImageFolder, train/valid layouts", () => {
  it.each(["valid", "val"])("reads train/ and %s/ as the source split", async (validName) => {
    const root = join(folder.path, `split-${validName}`);
    await writeClassFolders(root, { cat: 3, dog: 2 }, "train");
    await writeClassFolders(root, { cat: 1, dog: 2 }, validName);
    const dataset = await readImageFolder(root);
    expect(dataset.classes).toEqual(["cat", "dog"]);
    expect(dataset.items.filter((i) => i.split === "train")).toHaveLength(5);
    expect(dataset.items.filter((i) => i.split === "valid")).toHaveLength(3);
  });

  it("rejects ambiguous or missing folders with a message naming them", async () => {
    const root = join(folder.path, "both");
    await writeClassFolders(root, { cat: 1, dog: 1 }, "train");
    await writeClassFolders(root, { cat: 1, dog: 1 }, "val");
    await writeClassFolders(root, { cat: 1, dog: 1 }, "valid");
    await expect(readImageFolder(root)).rejects.toThrow(/both "valid" and "val"/);
    await expect(readImageFolder(join(folder.path, "missing"))).rejects.toThrow(/missing: does not exist/);
    const one = join(folder.path, "one-class");
    await writeClassFolders(one, { cat: 2 });
    await expect(readImageFolder(one)).rejects.toThrow(/at least 2 classes/);
  });

  it("says how many files were skipped and why when none is usable", async () => {
    const root = join(folder.path, "unreadable");
    await mkdir(join(root, "cat"), { recursive: true });
    await mkdir(join(root, "dog"), { recursive: true });
    await writeFile(join(root, "cat", "a.jpg"), await truncatedJpeg());
    await writeFile(join(root, "cat", "b.png"), "");
    await writeFile(join(root, "dog", "c.txt"), "not an image");
    const error = await readImageFolder(root).then(
      () => undefined,
      (reason: Error) => reason,
    );
    expect(error?.message).toMatch(/needs at least 2 classes with usable images, found 0 \(none\); 3 file\(s\) skipped:/);
    expect(error?.message).toMatch(/cat\/a\.jpg: not a decodable image: /);
    expect(error?.message).toMatch(/cat\/b\.png: .+/);
    expect(error?.message).toMatch(/dog\/c\.txt: not an image file/);
  });
});

describe("readImageFolder on hymenoptera_data", () => {
  const root = findSharedDataset("hymenoptera_data");
  it("reads the 398 files with the published split counts", async ({ skip }) => {
    if (!root) return skip("skipped: ../shared/datasets/hymenoptera_data is absent");
    const dataset = await readImageFolder(root as string);
    expect(dataset.classes).toEqual(["ants", "bees"]);
    const count = (split: string, label: number) => dataset.items.filter((i) => i.split === split && i.label === label).length;
    expect([count("train", 0), count("train", 1), count("valid", 0), count("valid", 1)]).toEqual([124, 121, 70, 83]);
    // imageNotFound.gif is a valid GIF (label noise, not corruption): it must be kept.
    expect(dataset.items.some((i) => i.relativePath === "train/ants/imageNotFound.gif")).toBe(true);
    expect(dataset.skipped).toEqual([]);
  });
});

describe("readImageFolder on oxford_pets_sample", () => {
  const root = findSharedDataset("oxford_pets_sample");
  it("reads 37 breeds × 10 (ignoring files in the root) and deals 2 per breed to each of 5 folds", async ({ skip }) => {
    if (!root) return skip("skipped: ../shared/datasets/oxford_pets_sample is absent");
    const dataset = await readImageFolder(root as string, { verify: "header" });
    expect(dataset.classes).toHaveLength(37);
    expect(dataset.classes).toEqual([...dataset.classes].sort());
    expect(dataset.items).toHaveLength(370);
    for (const fold of stratifiedKFold(dataset.items, 5, 1)) {
      expect(countPerClass(dataset.items, fold.valid, 37).every((n) => n === 2)).toBe(true);
    }
  });
});
