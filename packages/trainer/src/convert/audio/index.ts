import { readFile } from "node:fs/promises";
import { encodePng, type FeatureImage } from "../image.ts";
import { type SpectrogramOptions, resolveSpectrogramOptions } from "./options.ts";
import { audioChannelScales, audioToImage } from "./spectrogram.ts";
import { decodeWav } from "./wav.ts";

export { decodeWav, WavError, type DecodedWav, type SampleFormat } from "./wav.ts";
export { resample } from "./resample.ts";
export { defaultSpectrogramOptions, resolveSpectrogramOptions, type SpectrogramOptions } from "./options.ts";
export { audioChannelScales, audioToImage, logMelSpectrogram } from "./spectrogram.ts";

/** A WAV file as a float CHW log-mel image. */
export async function wavFileToImage(path: string, options: Partial<SpectrogramOptions> = {}): Promise<FeatureImage> {
  const resolved = resolveSpectrogramOptions(options);
  const wav = decodeWav(await readFile(path), path);
  return audioToImage(wav.samples, wav.sampleRate, resolved);
}

/** A WAV file as PNG bytes. */
export async function wavFileToPng(path: string, options: Partial<SpectrogramOptions> = {}): Promise<Buffer> {
  const resolved = resolveSpectrogramOptions(options);
  const wav = decodeWav(await readFile(path), path);
  return encodePng(audioToImage(wav.samples, wav.sampleRate, resolved), audioChannelScales(resolved));
}
