import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestApi } from "@runboard/api/testing/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunReporter } from "./metric-buffer.ts";
import { type Catalog, FAST_SETTINGS, launch, pointCount, registerCatalog, startLaunchApi } from "./testing/fixtures.ts";

let t: TestApi;
let catalog: Catalog;

beforeAll(async () => {
  t = await startLaunchApi(mkdtempSync(join(tmpdir(), "worker-buffer-")));
  catalog = await registerCatalog(t.url, t.db);
});
afterAll(async () => {
  await t?.close();
});

describe("the metric buffer", () => {
  it("flush() stores every point appended before it, also while an earlier flush is still in flight", async () => {
    // A queued run that no worker takes: the test writes its points.
    const runId = await launch(t.url, catalog, FAST_SETTINGS);
    const reporter = new RunReporter(t.db.pool, { id: runId, teamId: catalog.team.teamId }, 60_000, 0);
    // Ingestion takes a key-share lock on the run row: holding FOR UPDATE keeps the first flush in flight.
    const blocker = await t.db.pool.connect();
    await blocker.query("BEGIN");
    await blocker.query(`SELECT id FROM run WHERE id = $1 FOR UPDATE`, [runId]);
    try {
      reporter.point("train_loss", 1, 0.5);
      const first = reporter.flush();
      reporter.point("train_loss", 2, 0.4);
      const second = reporter.flush();
      setTimeout(() => void blocker.query("COMMIT"), 300);
      await second;
      expect(await pointCount(t.db, runId, "train_loss")).toBe(2);
      await first;
    } finally {
      blocker.release();
      await reporter.close();
    }
  });
});
