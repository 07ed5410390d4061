/** A generated two-class image folder and a tiny synthetic backbone saved as ONNX (tests and bench; nothing is downloaded). */
import { join } from "node:path";
import { classImage, writeImage } from "@runboard/trainer/data/testing/images";
import { resnet18 } from "@runboard/trainer/models";
import { saveModel } from "@runboard/trainer/onnx";

/** 2 classes × `perClass` PNGs of size × size whose colours tell the classes apart. */
export async function writeImageFolder(root: string, perClass = 8, size = 16): Promise<string> {
  const folder = join(root, "images");
  for (const [c, name] of ["cats", "dogs"].entries()) {
    for (let i = 0; i < perClass; i++) await writeImage(join(folder, name, `${i}.png`), classImage(c, 100 * c + i, size, size), { format: "png" });
  }
  return folder;
}

export function writeTinyBackbone(root: string, resolution = 16): string {
  const path = join(root, "tiny-resnet.onnx");
  saveModel(resnet18({ resolution, widthMultiplier: 0.125, depthMultiplier: 0.5, seed: 1 }).model, path);
  return path;
}
