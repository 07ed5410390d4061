import { describe, expect, it } from "vitest";
import { groupCondition, groupLabel, meanStd, narrowSearch, quoteText } from "./runs-groups.ts";
import { EMPTY_VIEW, viewFromQuery, viewToQuery } from "./runs-view.ts";

describe("grouped runs", () => {
  it("writes the search that selects one group", () => {
    expect(groupCondition({ field: "PARAM", key: "lr" }, 0.005)).toBe("params.lr = 0.005");
    expect(groupCondition({ field: "PARAM", key: "batch size" }, 'a"b')).toBe('params.`batch size` = "a\\"b"');
    expect(groupCondition({ field: "PARAM", key: "pretrained" }, false)).toBe("params.pretrained = false");
    expect(groupCondition({ field: "PARAM", key: "lr" }, null)).toBe("not params.lr");
    expect(groupCondition({ field: "TAG" }, "baseline")).toBe('tag = "baseline"');
    expect(groupCondition({ field: "TAG" }, null)).toBeUndefined();
    expect(groupCondition({ field: "STATUS" }, "RUNNING")).toBe("status = running");
    expect(groupCondition({ field: "GROUP_KEY" }, "sweep-1")).toBe('group = "sweep-1"');
    expect(groupCondition({ field: "BACKBONE" }, null)).toBe('not backbone ~ ""');
    expect(narrowSearch("", "status = running")).toBe("status = running");
    expect(narrowSearch(" a > 1 or b ", "status = running")).toBe("(a > 1 or b) and status = running");
    expect(quoteText("c:\\x")).toBe('"c:\\\\x"');
  });

  it("labels groups and their mean ± std", () => {
    expect(groupLabel({ field: "PARAM", key: "lr" }, 0.001)).toBe("0.001");
    expect(groupLabel({ field: "PARAM", key: "lr" }, null)).toBe("(no lr)");
    expect(groupLabel({ field: "TAG" }, null)).toBe("(no tags)");
    expect(meanStd({ mean: 0.915, std: 0.00707 })).toBe("0.915 ± 0.00707");
    expect(meanStd({ mean: 0.95, std: null })).toBe("0.95");
    expect(meanStd(undefined)).toBe("–");
  });

  it("keeps the grouping in the URL", () => {
    const query = viewToQuery({ ...EMPTY_VIEW, groupBy: { field: "PARAM", key: "opt:lr" } });
    expect(query.get("group")).toBe("PARAM:opt:lr");
    expect(viewFromQuery(query).view.groupBy).toEqual({ field: "PARAM", key: "opt:lr" });
    expect(viewFromQuery(new URLSearchParams("group=TAG")).view.groupBy).toEqual({ field: "TAG" });
    expect(viewFromQuery(new URLSearchParams("group=PARAM")).problems).toEqual(["group: PARAM needs a key (PARAM:lr)"]);
    expect(viewFromQuery(new URLSearchParams("group=COLOUR")).view.groupBy).toBeNull();
  });
});
