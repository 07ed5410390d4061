import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../src/env.ts";

// Apps are deployables: what two of them share lives in packages/* (the data layer in
// packages/db), so no app's code imports another app. End-to-end tests may start another app
// (the worker's tests drive the API, the web app's tests run both), so test files and testing
// helpers are left out, and another app may appear in devDependencies only.

interface App {
  name: string;
  dir: string;
}

interface SourceFile {
  file: string;
  text: string;
}

const appsDir = path.join(repoRoot, "apps");
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const TEST_ONLY = /\.test\.[cm]?[jt]sx?$/;
/** `from "x"`, `import "x"`, `import("x")`, `require("x")`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;

function listApps(): App[] {
  return readdirSync(appsDir)
    .map((entry) => path.join(appsDir, entry))
    .filter((dir) => statSync(path.join(dir, "package.json"), { throwIfNoEntry: false })?.isFile() === true)
    .map((dir) => ({ dir, name: (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string }).name }));
}

/** The app's own code: every source file under src/ except tests and testing helpers. */
function productionSources(app: App): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "testing") walk(full);
      } else if (SOURCE.test(entry.name) && !TEST_ONLY.test(entry.name)) {
        files.push({ file: full, text: readFileSync(full, "utf8") });
      }
    }
  };
  walk(path.join(app.dir, "src"));
  return files;
}

/** Imports in `files` (of `app`) that reach another app, by package name or by relative path. */
function crossAppImports(app: App, apps: App[], files: SourceFile[]): string[] {
  const others = apps.filter((other) => other.dir !== app.dir);
  const found: string[] = [];
  for (const { file, text } of files) {
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? "";
      const target = specifier.startsWith(".") ? path.resolve(path.dirname(file), specifier) : null;
      const reached = others.find((other) =>
        target === null ? specifier === other.name || specifier.startsWith(`${other.name}/`) : target === other.dir || target.startsWith(other.dir + path.sep),
      );
      if (reached !== undefined) found.push(`${path.relative(repoRoot, file)} imports ${specifier} (${reached.name})`);
    }
  }
  return found;
}

const apps = listApps();

describe("app boundaries", () => {
  it("finds the apps", () => {
    expect(apps.map((app) => app.name)).toEqual(expect.arrayContaining(["@runboard/api", "@runboard/worker"]));
  });

  it("flags an import of another app by package name or by path, not of a package", () => {
    const api = { name: "@runboard/api", dir: path.join(appsDir, "api") };
    const worker = { name: "@runboard/worker", dir: path.join(appsDir, "worker") };
    const file = path.join(worker.dir, "src", "example.ts");
    const text = [
      `import { typedParam } from "@runboard/api/services/params";`,
      `import type { Queryable } from "../../api/src/data/database.ts";`,
      `export { createApiServer } from "@runboard/api";`,
      `const lazy = await import("@runboard/api");`,
      `import { ingestPoints } from "@runboard/db";`,
      `import { persistently } from "./sql.ts";`,
      `import { apiLike } from "@runboard/api-client";`,
    ].join("\n");
    expect(crossAppImports(worker, [api, worker], [{ file, text }])).toEqual([
      "apps/worker/src/example.ts imports @runboard/api/services/params (@runboard/api)",
      "apps/worker/src/example.ts imports ../../api/src/data/database.ts (@runboard/api)",
      "apps/worker/src/example.ts imports @runboard/api (@runboard/api)",
      "apps/worker/src/example.ts imports @runboard/api (@runboard/api)",
    ]);
  });

  it.each(apps.map((app) => [app.name, app] as const))("%s imports no other app", (_name, app) => {
    expect(crossAppImports(app, apps, productionSources(app))).toEqual([]);
  });

  it.each(apps.map((app) => [app.name, app] as const))("%s has no other app among its dependencies", (_name, app) => {
    const manifest = JSON.parse(readFileSync(path.join(app.dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    const names = new Set(apps.map((other) => other.name));
    expect(Object.keys(manifest.dependencies ?? {}).filter((dependency) => names.has(dependency))).toEqual([]);
  });
});
