/** Artifacts of a run: where the browser and the server fetch them, and how the run page groups them. */
export const ARTIFACT_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The API's download route (GET /artifacts/<id>) beside its GraphQL endpoint. */
export function artifactApiUrl(apiUrl: string, id: string): string {
  return new URL(`/artifacts/${encodeURIComponent(id)}`, apiUrl).toString();
}

/** The web app's proxy of it, for links and images. */
export function artifactHref(id: string, inline = false): string {
  return `/api/artifacts/${encodeURIComponent(id)}${inline ? "?inline" : ""}`;
}

export interface ArtifactRef {
  id: string;
  kind: string;
  name: string;
}

export interface InterpretationArtifacts {
  confusionImage?: ArtifactRef;
  confusionJson?: ArtifactRef;
  topLossesImage?: ArtifactRef;
  topLossesJson?: ArtifactRef;
  gradCams: ArtifactRef[];
  lrFindJson?: ArtifactRef;
  predictionsCsv?: ArtifactRef;
}

export function interpretationArtifacts(artifacts: readonly ArtifactRef[]): InterpretationArtifacts {
  const find = (kind: string, extension: string) => artifacts.find((artifact) => artifact.kind === kind && artifact.name.endsWith(extension));
  const found: InterpretationArtifacts = {
    gradCams: artifacts.filter((artifact) => artifact.kind === "grad_cam").sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
  };
  const assign = <K extends keyof InterpretationArtifacts>(key: K, value: ArtifactRef | undefined) =>
    value !== undefined && (found[key] = value as InterpretationArtifacts[K]);
  assign("confusionImage", find("confusion_matrix", ".png"));
  assign("confusionJson", find("confusion_matrix", ".json"));
  assign("topLossesImage", find("top_losses", ".png"));
  assign("topLossesJson", find("top_losses", ".json"));
  assign("lrFindJson", find("lr_find", ".json"));
  assign("predictionsCsv", find("predictions", ".csv"));
  return found;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
