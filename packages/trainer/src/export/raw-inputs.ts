/**
 * Raw inputs at predict time: when a model was trained on converted data (convert/), a .wav,
 * a series file or a .pdf is turned into images with the conversion stored in the model's
 * metadata, byte for byte the images the training set held.
 */
import { extname } from "node:path";
import { type Conversion, convertInput } from "../convert/conversion.ts";

const RAW_EXTENSIONS: Record<Conversion["kind"], readonly string[]> = {
  audio: [".wav"],
  document: [".pdf"],
  timeseries: [".tsv", ".csv", ".txt"],
};

/** The file extensions a model's conversion reads (none for a model trained on images). */
export function rawExtensions(conversion: Conversion | undefined): readonly string[] {
  return conversion ? RAW_EXTENSIONS[conversion.kind] : [];
}

export function isRawInput(conversion: Conversion | undefined, path: string): boolean {
  return rawExtensions(conversion).includes(extname(path).toLowerCase());
}

export interface RawImage {
  /** The image's name: the file's stem, a page (`<file>-p2`) or a series id. */
  item: string;
  png: Buffer;
}

/** The PNG images one raw file converts to; throws (naming the file) when it cannot be converted. */
export async function convertRawInput(conversion: Conversion, path: string): Promise<RawImage[]> {
  return (await convertInput(conversion, path)).map(({ name, png }) => ({ item: name, png }));
}
