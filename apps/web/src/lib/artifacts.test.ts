import { describe, expect, it } from "vitest";
import { ARTIFACT_ID, artifactApiUrl, artifactHref, formatBytes, interpretationArtifacts } from "./artifacts.ts";

describe("artifact addresses", () => {
  it("puts the API's download route beside its GraphQL endpoint and the proxy under /api", () => {
    expect(artifactApiUrl("http://api.local:4000/graphql", "a1")).toBe("http://api.local:4000/artifacts/a1");
    expect(artifactHref("a1")).toBe("/api/artifacts/a1");
    expect(artifactHref("a1", true)).toBe("/api/artifacts/a1?inline");
    expect(ARTIFACT_ID.test("0f8e-12ab")).toBe(true);
    expect(ARTIFACT_ID.test("../etc/passwd")).toBe(false);
  });

  it("formats sizes in binary units", () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(5 * 2 ** 20 + 1)]).toEqual(["512 B", "2.0 KiB", "5.0 MiB"]);
  });
});

describe("interpretationArtifacts", () => {
  it("picks each view's files by kind and extension, Grad-CAMs in numeric order", () => {
    const artifacts = [
      { id: "1", kind: "confusion_matrix", name: "confusion_matrix.png" },
      { id: "2", kind: "confusion_matrix", name: "confusion_matrix.json" },
      { id: "3", kind: "grad_cam", name: "grad_cam_10.png" },
      { id: "4", kind: "grad_cam", name: "grad_cam_2.png" },
      { id: "5", kind: "lr_find", name: "lr_find.png" },
      { id: "6", kind: "lr_find", name: "lr_find.json" },
      { id: "7", kind: "model", name: "model.onnx" },
      { id: "8", kind: "predictions", name: "predictions.csv" },
    ];
    const found = interpretationArtifacts(artifacts);
    expect([found.confusionImage?.id, found.confusionJson?.id, found.lrFindJson?.id, found.topLossesJson, found.predictionsCsv?.id]).toEqual([
      "1",
      "2",
      "6",
      undefined,
      "8",
    ]);
    expect(found.gradCams.map((artifact) => artifact.name)).toEqual(["grad_cam_2.png", "grad_cam_10.png"]);
  });
});
