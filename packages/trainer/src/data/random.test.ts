import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { itemSeed, Random, shuffledIndices } from "./random.ts";
import { findRepoRoot } from "./repo-paths.ts";

describe("Random", () => {
  it("repeats for a seed and stays in range", () => {
    const a = new Random(9);
    const b = new Random(9);
    const draws = Array.from({ length: 1000 }, () => a.int(2, 5));
    expect(Array.from({ length: 1000 }, () => b.int(2, 5))).toEqual(draws);
    expect(new Set(draws)).toEqual(new Set([2, 3, 4, 5]));
    const uniforms = Array.from({ length: 1000 }, () => a.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
  });

  it("gives distinct item seeds per (seed, epoch, index) and shuffles into a permutation", () => {
    const seeds = new Set<number>();
    for (let epoch = 0; epoch < 10; epoch++) for (let index = 0; index < 100; index++) seeds.add(itemSeed(42, epoch, index));
    expect(seeds.size).toBe(1000);
    expect(itemSeed(42, 1, 2)).not.toBe(itemSeed(42, 2, 1));
    const order = shuffledIndices(50, 3);
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(order).not.toEqual(shuffledIndices(50, 4));
  });
});

describe("findRepoRoot", () => {
  it("finds the workspace root above this package", () => {
    const root = findRepoRoot();
    expect(existsSync(join(root, "packages", "trainer"))).toBe(true);
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces).toBeDefined();
  });
});
