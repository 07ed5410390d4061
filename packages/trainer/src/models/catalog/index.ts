/** The backbone catalog: pinned downloads of pretrained backbones, verified and cached. */
export {
  type Catalog,
  type CatalogEntry,
  catalogLocation,
  type CatalogLocation,
  findCatalogEntry,
  readCatalog,
  requireCatalogEntry,
  validateCatalog,
} from "./catalog.ts";
export { cachedModelFile, cachedSize, downloadedFile, loadCatalogModel, loadCatalogModelFile, pullCatalogModel } from "./cache.ts";
export { DownloadError, type DownloadOptions, downloadPinned, NoNetworkError } from "./download.ts";
