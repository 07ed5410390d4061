/** A validation item as a thumbnail from its dataset (when its path lies in the dataset's folder), else its file name. */
import { datasetFileHref, datasetRelativePath } from "../../lib/predictions.ts";

export const THUMBNAIL_PX = 128;

export function ItemImage({ dataset, path, alt }: { dataset: { id: string; sourceUri: string } | null; path: string; alt: string }) {
  const relative = dataset === null ? null : datasetRelativePath(dataset.sourceUri, path);
  if (dataset === null || relative === null) return <code title={path}>{path.split(/[\\/]/).pop()}</code>;
  return (
    <a href={datasetFileHref(dataset.id, relative)} target="_blank" rel="noreferrer" title={relative}>
      <img src={datasetFileHref(dataset.id, relative, THUMBNAIL_PX)} alt={alt} loading="lazy" width={THUMBNAIL_PX} />
    </a>
  );
}
