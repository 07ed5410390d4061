import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_EMBEDDED_PORT, readDbEnv, repoRoot, requireDatabaseUrl } from "./env.ts";

describe("readDbEnv", () => {
  it("defaults to the embedded server with data under the repository", () => {
    const env = readDbEnv({});
    expect(env.databaseUrl).toBeUndefined();
    expect(env.embeddedPort).toBe(DEFAULT_EMBEDDED_PORT);
    expect(env.embeddedDataDir).toBe(path.join(repoRoot, ".data", "postgres"));
  });

  it("reads the variables it owns", () => {
    const env = readDbEnv({
      DATABASE_URL: "postgresql://app@db.internal:5432/runboard",
      RUNBOARD_PG_PORT: "6543",
      RUNBOARD_PG_DATA_DIR: "/var/lib/runboard",
      TEST_DATABASE_URL: "postgres://ci@127.0.0.1/postgres",
    });
    expect(env).toEqual({
      databaseUrl: "postgresql://app@db.internal:5432/runboard",
      embeddedPort: 6543,
      embeddedDataDir: "/var/lib/runboard",
      testDatabaseUrl: "postgres://ci@127.0.0.1/postgres",
    });
  });

  it("treats empty values as unset", () => {
    expect(readDbEnv({ DATABASE_URL: "  ", RUNBOARD_PG_PORT: "" }).databaseUrl).toBeUndefined();
  });

  it("names the variable and the rule when a value is wrong", () => {
    expect(() => readDbEnv({ DATABASE_URL: "localhost:5432" })).toThrow(/DATABASE_URL must start with postgresql:\/\//);
    expect(() => readDbEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL must be a URL/);
    expect(() => readDbEnv({ TEST_DATABASE_URL: "mysql://x@y/z" })).toThrow(/TEST_DATABASE_URL/);
    for (const port of ["0", "65536", "54.3", "abc"]) {
      expect(() => readDbEnv({ RUNBOARD_PG_PORT: port }), port).toThrow(/RUNBOARD_PG_PORT must be an integer port/);
    }
  });

  it("requireDatabaseUrl fails with the variable's name when it is unset", () => {
    expect(() => requireDatabaseUrl({})).toThrow(/DATABASE_URL is required/);
    expect(requireDatabaseUrl({ DATABASE_URL: "postgresql://a@b/c" })).toBe("postgresql://a@b/c");
  });
});
