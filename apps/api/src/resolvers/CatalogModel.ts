import type { ApiContext } from "../server/context.ts";
import { type CatalogModelView, registeredFrom } from "../services/model-catalog.ts";

export const CatalogModel = {
  name: (view: CatalogModelView) => view.entry.name,
  family: (view: CatalogModelView) => view.entry.family,
  format: (view: CatalogModelView) => (view.entry.format === "tflite" ? "TFLITE" : "ONNX"),
  inputSize: (view: CatalogModelView) => view.entry.inputSize,
  mean: (view: CatalogModelView) => view.entry.preprocessing.mean,
  std: (view: CatalogModelView) => view.entry.preprocessing.std,
  pretrainedOn: (view: CatalogModelView) => view.entry.pretrainedOn,
  license: (view: CatalogModelView) => view.entry.license,
  sourceUrl: (view: CatalogModelView) => view.entry.source,
  downloadUrl: (view: CatalogModelView) => view.entry.url,
  sha256: (view: CatalogModelView) => view.entry.sha256,
  sizeBytes: (view: CatalogModelView) => view.entry.size,
  architectures: (view: CatalogModelView, _: unknown, ctx: ApiContext) => registeredFrom(ctx, view),
};
