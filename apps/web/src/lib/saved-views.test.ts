import { describe, expect, it } from "vitest";
import { deleteView, loadViews, saveView } from "./saved-views.ts";

function memoryStore() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
}

describe("saved views", () => {
  it("saves per team, replaces by name, sorts and deletes", () => {
    const store = memoryStore();
    saveView(store, "a", { name: "failed", query: "status=FAILED" });
    saveView(store, "a", { name: " best ", query: "sort=METRIC:acc:MAX:DESC" });
    expect(saveView(store, "a", { name: "failed", query: "status=FAILED&tag=x" })).toEqual([
      { name: "best", query: "sort=METRIC:acc:MAX:DESC" },
      { name: "failed", query: "status=FAILED&tag=x" },
    ]);
    expect(loadViews(store, "b")).toEqual([]);
    expect(deleteView(store, "a", "best")).toEqual([{ name: "failed", query: "status=FAILED&tag=x" }]);
  });

  it("ignores a corrupt store and refuses an empty name", () => {
    const store = memoryStore();
    store.setItem("runboard.views.a", "{not json");
    expect(loadViews(store, "a")).toEqual([]);
    store.setItem("runboard.views.a", JSON.stringify([{ name: "ok", query: "" }, { name: 3 }]));
    expect(loadViews(store, "a")).toEqual([{ name: "ok", query: "" }]);
    expect(() => saveView(store, "a", { name: "  ", query: "" })).toThrow("view name: must not be empty");
  });
});
