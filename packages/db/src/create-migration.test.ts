import { describe, expect, it } from "vitest";
import { isEmptyMigration, migrationFolderName } from "./create-migration.ts";

// createMigration itself runs the Prisma CLI on PGlite (about a minute): it is exercised by
// `npm run db:migration:create`, and the adapter it depends on by pglite-migration-adapter.test.ts.

describe("migrationFolderName", () => {
  it("prefixes the name with the UTC time to the second, as Prisma does", () => {
    expect(migrationFolderName("add_run_priority", new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("20260102030405_add_run_priority");
  });

  it("sorts later migrations after earlier ones", () => {
    const earlier = migrationFolderName("b", new Date(Date.UTC(2026, 8, 30, 23, 59, 59)));
    const later = migrationFolderName("a", new Date(Date.UTC(2026, 9, 1, 0, 0, 0)));
    expect([later, earlier].sort()).toEqual([earlier, later]);
  });

  it("refuses names Prisma and shells would mangle", () => {
    for (const name of ["", "Add", "add run", "../x", "add-run"]) {
      expect(() => migrationFolderName(name, new Date()), name).toThrow(/migration name must match/);
    }
  });
});

describe("isEmptyMigration", () => {
  it("is true for comments and blank lines only", () => {
    expect(isEmptyMigration("-- This is an empty migration.\n\n")).toBe(true);
    expect(isEmptyMigration("")).toBe(true);
  });

  it("is false as soon as one statement is there", () => {
    expect(isEmptyMigration('-- AlterTable\nALTER TABLE "run" ADD COLUMN "priority" INTEGER;\n')).toBe(false);
  });
});
