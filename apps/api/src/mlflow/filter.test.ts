import { describe, expect, it } from "vitest";
import { MlflowError } from "./errors.ts";
import { parseFilter, parseOrderBy } from "./filter.ts";

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof MlflowError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected an MlflowError");
}

describe("parseFilter", () => {
  it("reads the issue's example: metrics, params and tags joined with AND", () => {
    expect(parseFilter("metrics.x > 0.9 AND params.y = 'z' AND tags.t = 'u'")).toEqual([
      { entity: "metric", key: "x", op: ">", value: 0.9 },
      { entity: "param", key: "y", op: "=", value: "z" },
      { entity: "tag", key: "t", op: "=", value: "u" },
    ]);
  });

  it.each([
    ["", []],
    ["   ", []],
    ["status = 'FINISHED'", [{ entity: "attribute", key: "status", op: "=", value: "FINISHED" }]],
    ["attributes.start_time >= 1700000000000", [{ entity: "attribute", key: "start_time", op: ">=", value: 1700000000000 }]],
    ["metric.train.loss<=-1.5e-3", [{ entity: "metric", key: "train.loss", op: "<=", value: -0.0015 }]],
    ['metrics."val loss" != 2', [{ entity: "metric", key: "val loss", op: "!=", value: 2 }]],
    ["tags.`data set` LIKE 'pets%'", [{ entity: "tag", key: "data set", op: "LIKE", value: "pets%" }]],
    ['params.optimizer ilike "ADAM"', [{ entity: "param", key: "optimizer", op: "ILIKE", value: "ADAM" }]],
    ["params.note = 'it\\'s'", [{ entity: "param", key: "note", op: "=", value: "it's" }]],
    ["run_id IN ('a', 'b')", [{ entity: "attribute", key: "run_id", op: "IN", value: ["a", "b"] }]],
    [
      "attr.status not in ('FAILED') and metrics.acc <> 1",
      [
        { entity: "attribute", key: "status", op: "NOT IN", value: ["FAILED"] },
        { entity: "metric", key: "acc", op: "!=", value: 1 },
      ],
    ],
  ])("parses %j", (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });

  it.each([
    ["metrics.x > 1 OR metrics.y > 2", "OR is not supported"],
    ["metrics.x >", "ends where a value was expected"],
    ["metrics.x 1", "expected one of = != > >= < <= LIKE ILIKE IN, NOT IN at character 11, found '1'"],
    ["foo.x = 1", "'foo' is not an entity"],
    ["metrics.x = 1 metrics.y = 2", "expected AND or the end of the filter"],
    ["run_id IN 'a'", "expected a parenthesised list of strings"],
    ["params.x = 'unterminated", "cannot read"],
    ["metrics. = 1", "expected a key after the dot"],
  ])("refuses %j with INVALID_PARAMETER_VALUE naming filter", (text, message) => {
    const error = failure(() => parseFilter(text));
    expect(error.code).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/^filter: /);
    expect(error.message).toContain(message);
  });
});

describe("parseOrderBy", () => {
  it.each([
    ["metrics.acc DESC", { entity: "metric", key: "acc", ascending: false }],
    ["params.lr", { entity: "param", key: "lr", ascending: true }],
    ["start_time asc", { entity: "attribute", key: "start_time", ascending: true }],
    ["tags.`my tag` DESC", { entity: "tag", key: "my tag", ascending: false }],
  ])("parses %j", (text, expected) => {
    expect(parseOrderBy(text)).toEqual(expected);
  });

  it("refuses trailing words, naming the field", () => {
    expect(failure(() => parseOrderBy("metrics.acc DESC LIMIT", "order_by[1]")).message).toBe(
      "order_by[1]: expected ASC, DESC or the end at character 18, found 'LIMIT'",
    );
  });
});
