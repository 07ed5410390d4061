/** Generated segmentation data for tests: coloured squares and discs on a background, with their masks. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeMask, writePairImage } from "../../data/segmentation/testing/masks.ts";
import { SeededRandom } from "../../models/synthetic/index.ts";

export const SCENE_CLASSES = ["background", "square", "disc"];
export const SCENE_VOID = 255;

/** Background 0, a square 1 and a disc 2 at random places (the disc on top), a one-pixel void border. */
export function sceneMask(size: number, random: SeededRandom): (x: number, y: number) => number {
  const side = Math.round(size * (0.25 + random.uniform(0, 0.2)));
  const sx = Math.floor(random.uniform(0, 1) * (size - side));
  const sy = Math.floor(random.uniform(0, 1) * (size - side));
  const radius = Math.round(size * (0.125 + random.uniform(0, 0.125)));
  const cx = radius + random.uniform(0, 1) * (size - 2 * radius);
  const cy = radius + random.uniform(0, 1) * (size - 2 * radius);
  return (x, y) => {
    if (x === 0 || y === 0 || x === size - 1 || y === size - 1) return SCENE_VOID;
    if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius ** 2) return 2;
    return x >= sx && x < sx + side && y >= sy && y < sy + side ? 1 : 0;
  };
}

/**
 * Writes `count` pairs as images/<name>.png (each class painted in its colour, void pixels in
 * the background's) and labels/<name>.png, plus classes.json; names are `name(i)`.
 */
export async function writeScenes(root: string, count: number, size: number, seed: number, name: (i: number) => string): Promise<void> {
  const random = new SeededRandom(seed);
  for (let i = 0; i < count; i++) {
    const mask = sceneMask(size, random);
    await writePairImage(join(root, "images", `${name(i)}.png`), size, size, (x, y) => (mask(x, y) === SCENE_VOID ? 0 : mask(x, y)));
    await writeMask(join(root, "labels", `${name(i)}.png`), size, size, mask);
  }
  await writeFile(join(root, "classes.json"), JSON.stringify({ classes: SCENE_CLASSES, ignoreIndex: SCENE_VOID }));
}
