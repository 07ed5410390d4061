/**
 * The image every conversion produces: float values in channel-major (CHW) order, and its
 * mapping to an 8-bit PNG that the image-folder data pipeline reads like any photo.
 */
import sharp from "sharp";

export interface FeatureImage {
  channels: number;
  height: number;
  width: number;
  /** CHW: value of channel c, row y, column x at `(c * height + y) * width + x`. */
  data: Float32Array;
}

/**
 * How one channel's floats map to 0-255: a fixed range (dB from -topDb to 0, GAF's [-1, 1]),
 * the channel's own min-max, or symmetric around zero by the largest magnitude (deltas).
 */
export type ChannelScale = { kind: "fixed"; min: number; max: number } | { kind: "minmax" } | { kind: "symmetric" };

export function createFeatureImage(channels: number, height: number, width: number): FeatureImage {
  return { channels, height, width, data: new Float32Array(channels * height * width) };
}

/** One channel as a view (no copy). */
export function channelView(image: FeatureImage, channel: number): Float32Array {
  const plane = image.height * image.width;
  return image.data.subarray(channel * plane, (channel + 1) * plane);
}

/** Stacks single- or multi-channel images of equal size along the channel axis. */
export function stackChannels(images: FeatureImage[]): FeatureImage {
  const first = images[0];
  if (first === undefined) throw new Error("stackChannels: no images to stack");
  for (const image of images) {
    if (image.height !== first.height || image.width !== first.width) {
      throw new Error(`stackChannels: image is ${image.height}×${image.width}, expected ${first.height}×${first.width}`);
    }
  }
  const channels = images.reduce((sum, image) => sum + image.channels, 0);
  const stacked = createFeatureImage(channels, first.height, first.width);
  let offset = 0;
  for (const image of images) {
    stacked.data.set(image.data, offset);
    offset += image.data.length;
  }
  return stacked;
}

function scaleRange(values: Float32Array, scale: ChannelScale): [number, number] {
  if (scale.kind === "fixed") return [scale.min, scale.max];
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (scale.kind === "minmax") return [min, max];
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  return [-magnitude, magnitude];
}

/** Maps every channel to 0-255 by its scale; a constant channel (zero range) maps to 0. */
export function toBytesHWC(image: FeatureImage, scales: ChannelScale[]): Uint8Array {
  if (scales.length !== image.channels) {
    throw new Error(`toBytesHWC: ${scales.length} channel scales for ${image.channels} channels`);
  }
  const { channels, height, width } = image;
  const bytes = new Uint8Array(channels * height * width);
  for (let c = 0; c < channels; c++) {
    const plane = channelView(image, c);
    const [min, max] = scaleRange(plane, scales[c] as ChannelScale);
    const factor = max > min ? 255 / (max - min) : 0;
    for (let i = 0; i < plane.length; i++) {
      const level = Math.round(((plane[i] as number) - min) * factor);
      bytes[i * channels + c] = Math.min(255, Math.max(0, level));
    }
  }
  return bytes;
}

/**
 * PNG bytes of the image. One channel gives a grayscale PNG, three an RGB one; two are padded
 * with a zero third channel. More than three do not fit a PNG: keep the float CHW output then.
 */
export async function encodePng(image: FeatureImage, scales: ChannelScale[]): Promise<Buffer> {
  if (image.channels > 3) {
    throw new Error(`encodePng: ${image.channels} channels do not fit a PNG (at most 3); use the float CHW output`);
  }
  const padded = image.channels === 2 ? stackChannels([image, createFeatureImage(1, image.height, image.width)]) : image;
  const paddedScales: ChannelScale[] = image.channels === 2 ? [...scales, { kind: "fixed", min: 0, max: 1 }] : scales;
  const bytes = toBytesHWC(padded, paddedScales);
  const channels = padded.channels as 1 | 3;
  const pipeline = sharp(bytes, { raw: { width: image.width, height: image.height, channels } });
  // Without the explicit colour space sharp widens one raw channel to RGB.
  return (channels === 1 ? pipeline.toColourspace("b-w") : pipeline).png({ compressionLevel: 6 }).toBuffer();
}
