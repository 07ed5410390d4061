/** A grid of sample images per class, through the web app's proxy of the API's dataset file route. */
import { datasetFileHref } from "../../lib/predictions.ts";

export interface SampleGroup {
  className: string;
  paths: string[];
}

export function groupSamples(samples: readonly { className: string; path: string }[]): SampleGroup[] {
  const groups = new Map<string, string[]>();
  for (const sample of samples) groups.set(sample.className, [...(groups.get(sample.className) ?? []), sample.path]);
  return [...groups].map(([className, paths]) => ({ className, paths }));
}

export function DatasetSamples({ datasetId, groups }: { datasetId: string; groups: SampleGroup[] }) {
  if (groups.length === 0) return <p className="muted">No images found in the dataset&apos;s folder.</p>;
  return (
    <div aria-label="Samples per class">
      {groups.map((group) => (
        <section key={group.className} aria-label={`Samples of ${group.className}`}>
          <h3>{group.className}</h3>
          <ul className="gallery thumbs">
            {group.paths.map((path) => (
              <li key={path}>
                <a href={datasetFileHref(datasetId, path)} target="_blank" rel="noreferrer" title={path}>
                  <img src={datasetFileHref(datasetId, path, 128)} alt={`${group.className}: ${path}`} loading="lazy" width={128} />
                </a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
