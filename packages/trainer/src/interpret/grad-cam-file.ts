/** Grad-CAM for image files: prepared exactly as validation prepares them, then mapped and overlaid. */
import { type FloatImage, type Pipeline, prepareImageFile, writeNormalized } from "../data/index.ts";
import type { ClassActivationMap, GradCam } from "./grad-cam.ts";
import { type OverlayOptions, renderGradCam } from "./grad-cam-render.ts";

export interface FileActivationMap {
  path: string;
  cam: ClassActivationMap;
  /** The validation-prepared image (values in [0, 1]) under the overlay. */
  image: FloatImage;
  png: Buffer;
}

/** One overlay per file; `classIndices` default to the predicted class of each image. */
export async function gradCamForFiles(
  gradCam: GradCam,
  paths: readonly string[],
  pipeline: Pipeline,
  classIndices?: readonly number[],
  overlay: OverlayOptions = {},
): Promise<FileActivationMap[]> {
  if (paths.length === 0) throw new Error("paths: name at least one image file");
  const images = await Promise.all(
    paths.map(async (path) => {
      try {
        return await prepareImageFile(path, pipeline, false, 0);
      } catch (error) {
        throw new Error(`${path}: cannot be read as an image (${(error as Error).message})`);
      }
    }),
  );
  const { width, height } = pipeline.size;
  const plane = 3 * width * height;
  const data = new Float32Array(paths.length * plane);
  images.forEach((image, i) => writeNormalized(image, pipeline.normalization, data, i * plane));
  const cams = await gradCam.compute({ data, dims: [paths.length, 3, height, width] }, classIndices);
  return Promise.all(cams.map(async (cam, i) => ({ path: paths[i]!, cam, image: images[i]!, png: await renderGradCam(images[i]!, cam, overlay) })));
}
