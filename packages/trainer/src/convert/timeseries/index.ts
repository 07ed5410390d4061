export { parseUcr } from "./ucr.ts";
export { parseLongCsv } from "./long-csv.ts";
export { type LabeledSeries, SeriesFormatError } from "./series.ts";
export { paa } from "./paa.ts";
export { gramianAngularField, rescaleToUnitRange } from "./gaf.ts";
export { markovTransitionField, quantileEdges, transitionMatrix } from "./mtf.ts";
export { recurrencePlot, type RecurrenceThreshold } from "./recurrence.ts";
export { defaultSeriesImageOptions, resolveSeriesImageOptions, seriesEncodings, type SeriesEncoding, type SeriesImageOptions } from "./options.ts";
export { seriesChannelScales, seriesToImage } from "./encode.ts";
