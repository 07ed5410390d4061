export { PdfError, pdfChannelScales, renderPdf } from "./pdf.ts";
export { defaultPdfRenderOptions, resolvePdfRenderOptions, type PdfRenderOptions } from "./options.ts";
