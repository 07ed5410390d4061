import { describe, expect, it } from "vitest";
import { safePath } from "./safe-path.ts";

describe("safePath", () => {
  it("keeps same-site paths and refuses other sites", () => {
    expect(safePath("/join?token=rbi_x", "/runs")).toBe("/join?token=rbi_x");
    expect(safePath("//evil.example/x", "/runs")).toBe("/runs");
    expect(safePath("/\\evil.example", "/runs")).toBe("/runs");
    expect(safePath("https://evil.example", "/runs")).toBe("/runs");
    expect(safePath(undefined, "/runs")).toBe("/runs");
  });
});
