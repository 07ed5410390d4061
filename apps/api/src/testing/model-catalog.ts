/**
 * A backbone catalog for tests of other workspaces (the dashboard's browser test): small
 * generated ONNX models served by a local HTTP server (the trainer's test file server), and a
 * catalog file whose entries point at its routes. Never the internet.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { buildSyntheticModel, type CatalogEntry } from "@runboard/trainer/models";
import { startFileServer, type FileServer } from "@runboard/trainer/models/testing/file-server";
import { encodeModel } from "@runboard/trainer/onnx";

export interface TestCatalog {
  catalogFile: string;
  cacheDir: string;
  entries: CatalogEntry[];
  server: FileServer;
  close(): Promise<void>;
}

/** How an entry is served: `files` (plain), `slow` (eight parts, `slowPartDelayMs` apart), `wrong` (one byte changed), `offline` (a closed port). */
export type TestRoute = "files" | "slow" | "wrong" | "offline";

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** One generated ResNet-18-shaped model (32×32, random weights) per entry, served as `route` says. */
export async function startTestCatalog(folder: string, routes: Record<string, TestRoute>, slowPartDelayMs = 150): Promise<TestCatalog> {
  const server = await startFileServer({ slowPartDelayMs });
  const port = await closedPort();
  const entries = Object.entries(routes).map(([name, route], i): CatalogEntry => {
    const bytes = encodeModel(
      buildSyntheticModel("resnet18", { numClasses: 5, widthMultiplier: 0.125, depthMultiplier: 0.25, resolution: 32, seed: i + 1 }).model,
    );
    server.put(name, bytes);
    const url = route === "offline" ? `http://127.0.0.1:${port}/files/${name}` : `${server.origin}/${route}/${name}`;
    return {
      name,
      family: `generated ResNet-18 (${route})`,
      format: "onnx",
      url,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      size: bytes.length,
      inputSize: [32, 32],
      preprocessing: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      pretrainedOn: "generated (random weights)",
      license: "test",
      source: `${server.origin}/files/${name}`,
    };
  });
  const catalogFile = join(folder, "catalog.json");
  writeFileSync(catalogFile, JSON.stringify({ schema: 1, version: "test", entries }));
  return { catalogFile, cacheDir: join(folder, "model-cache"), entries, server, close: () => server.close() };
}
