/**
 * A (multi-channel) series to a square image: PAA to the image size, then each encoding of
 * each channel becomes one image channel. The MTF bins the full-resolution series (its
 * transition statistics need every step) and reduces afterwards, as pyts does.
 */
import { type ChannelScale, type FeatureImage, createFeatureImage } from "../image.ts";
import { gramianAngularField, rescaleToUnitRange } from "./gaf.ts";
import { markovTransitionField } from "./mtf.ts";
import type { SeriesEncoding, SeriesImageOptions } from "./options.ts";
import { paa } from "./paa.ts";
import { recurrencePlot } from "./recurrence.ts";

function encodeChannel(values: Float64Array, encoding: SeriesEncoding, options: SeriesImageOptions): Float32Array {
  const size = options.imageSize;
  switch (encoding) {
    case "gasf":
      return gramianAngularField(rescaleToUnitRange(paa(values, size)), "summation");
    case "gadf":
      return gramianAngularField(rescaleToUnitRange(paa(values, size)), "difference");
    case "mtf":
      return markovTransitionField(values, size, options.mtfBins);
    case "recurrence":
      return recurrencePlot(paa(values, size), options.recurrenceThreshold);
  }
}

export function seriesToImage(channels: Float64Array[], options: SeriesImageOptions): FeatureImage {
  if (channels.length === 0) throw new Error("time series has no channels");
  for (const [c, values] of channels.entries()) {
    if (values.length < 2) throw new Error(`time series channel ${c} has ${values.length} values; at least 2 are needed`);
    if (values.some((value) => !Number.isFinite(value))) throw new Error(`time series channel ${c} holds a value that is not a finite number`);
  }
  const size = options.imageSize;
  const image = createFeatureImage(channels.length * options.encodings.length, size, size);
  let channel = 0;
  for (const values of channels) {
    for (const encoding of options.encodings) {
      image.data.set(encodeChannel(values, encoding, options), channel * size * size);
      channel++;
    }
  }
  return image;
}

export function seriesChannelScales(channelCount: number, options: SeriesImageOptions): ChannelScale[] {
  const scaleOf = (encoding: SeriesEncoding): ChannelScale => {
    if (encoding === "gasf" || encoding === "gadf") return { kind: "fixed", min: -1, max: 1 };
    if (encoding === "mtf" || options.recurrenceThreshold !== null) return { kind: "fixed", min: 0, max: 1 };
    return { kind: "minmax" };
  };
  return Array.from({ length: channelCount }, () => options.encodings.map(scaleOf)).flat();
}
