import { describe, expect, it } from "vitest";
import { MAX_QUERY_DEPTH, parseSearch, SearchSyntaxError, tokenize, type SearchNode } from "./run-search.ts";

/** The tree as compact text: (a AND b), (a OR b), NOT a, field op value, has field. */
function show(node: SearchNode): string {
  switch (node.kind) {
    case "and":
      return `(${show(node.left)} AND ${show(node.right)})`;
    case "or":
      return `(${show(node.left)} OR ${show(node.right)})`;
    case "not":
      return `NOT ${show(node.operand)}`;
    case "present":
      return `has ${node.field.summary ? `${node.field.summary}:` : ""}${node.field.name}`;
    case "compare":
      return `${node.field.summary ? `${node.field.summary}:` : ""}${node.field.name} ${node.op} ${node.value.kind === "string" ? JSON.stringify(node.value.value) : String(node.value.value)}`;
  }
}

const parsed = (query: string) => show(parseSearch(query));

function syntaxError(query: string): SearchSyntaxError {
  try {
    parseSearch(query);
  } catch (error) {
    if (error instanceof SearchSyntaxError) return error;
    throw error;
  }
  throw new Error(`"${query}" parsed`);
}

describe("runs search parser", () => {
  it("binds and tighter than or, not tighter than and, and parentheses first", () => {
    expect(parsed("a > 1 or b > 2 and c > 3")).toBe("(a > 1 OR (b > 2 AND c > 3))");
    expect(parsed("(a > 1 or b > 2) and c > 3")).toBe("((a > 1 OR b > 2) AND c > 3)");
    expect(parsed("not a > 1 and b > 2")).toBe("(NOT a > 1 AND b > 2)");
    expect(parsed("not (a > 1 and b > 2)")).toBe("NOT (a > 1 AND b > 2)");
    expect(parsed("a > 1 and b > 2 and c > 3")).toBe("((a > 1 AND b > 2) AND c > 3)");
    expect(parsed("a > 1 || b > 2 && !c")).toBe("(a > 1 OR (b > 2 AND NOT has c))");
    expect(parsed("NOT NOT tags.x AND Or_metric >= 2")).toBe("(NOT NOT has tags.x AND Or_metric >= 2)");
  });

  it("reads fields, summaries, operators and values", () => {
    expect(parsed('accuracy > 0.9 and backbone = "mobilenet-v2-imagenet"')).toBe('(accuracy > 0.9 AND backbone = "mobilenet-v2-imagenet")');
    expect(parsed("params.lr < 0.01 or tags.baseline")).toBe("(params.lr < 0.01 OR has tags.baseline)");
    expect(parsed("max(val_accuracy) >= 8e-1 and MIN(loss)<=.5")).toBe("(max:val_accuracy >= 0.8 AND min:loss <= 0.5)");
    expect(parsed("system/cpu_percent != -3 and params.transfer.recipe = FINE_TUNE")).toBe(
      '(system/cpu_percent != -3 AND params.transfer.recipe = "FINE_TUNE")',
    );
    expect(parsed("params.`batch size` == 32 and metrics.`val acc` ~ x")).toBe('(params.batch size = 32 AND metrics.val acc ~ "x")');
    expect(parsed(String.raw`params.pretrained = TRUE and name !~ 'it\'s'`)).toBe(`(params.pretrained = true AND name !~ "it's")`);
    expect(parsed(String.raw`name = "say \"hi\""`)).toBe('name = "say \\"hi\\""');
    expect(parsed("`and` = 1")).toBe("and = 1");
    expect(parsed("params.flag = false")).toBe("params.flag = false");
  });

  it("keeps positions of tokens", () => {
    const tokens = tokenize('  lr >= 0.5 and name = "x"');
    expect(tokens.map((t) => [t.kind, t.start])).toEqual([
      ["name", 2],
      ["op", 5],
      ["number", 8],
      ["and", 12],
      ["name", 16],
      ["op", 21],
      ["string", 23],
      ["end", 26],
    ]);
  });

  it("names the position and what was expected", () => {
    expect(syntaxError("accuracy >").message).toBe('at 11: expected a value (a number, "text" or a word) after ">", found the end of the query');
    expect(syntaxError("accuracy > 0.9 and").message).toBe(
      'at 19: expected a field (a metric name, params.<key>, tags.<tag>, status, name, backbone, …) or "(", found the end of the query',
    );
    expect(syntaxError("(a > 1 or b > 2").message).toBe('at 16: expected ")" to close the "(" at 1, found the end of the query');
    expect(syntaxError("a > 1 b > 2").message).toBe('at 7: expected "and", "or" or the end of the query, found "b"');
    expect(syntaxError("a > 1)").position).toBe(6);
    expect(syntaxError('name = "open').message).toBe('at 8: expected a closing " for the text that starts here');
    expect(syntaxError("a > 1 and # b").message).toBe('at 11: unexpected character "#"');
    expect(syntaxError("a > > 1").message).toBe('at 5: expected a value (a number, "text" or a word) after ">", found ">"');
    expect(syntaxError("mean(loss) > 1").message).toBe('at 5: expected an operator after mean (only last( ), min( ) and max( ) take a metric name), found "("');
    expect(syntaxError("max(1) > 1").message).toBe('at 5: expected a metric name inside max( ), found "1"');
    expect(syntaxError("a > 12abc").message).toBe('at 5: expected a number or a name (names start with a letter or _), found "12abc"');
    expect(syntaxError("").message).toBe("at 1: expected a condition such as accuracy > 0.9, found the end of the query");
    expect(syntaxError("``").message).toBe("at 1: expected a name between the backquotes");
  });

  it("refuses queries nested too deep or too long", () => {
    expect(syntaxError(`${"(".repeat(MAX_QUERY_DEPTH + 5)}a > 1${")".repeat(MAX_QUERY_DEPTH + 5)}`).rule).toMatch(/nested deeper than/);
    expect(syntaxError(`${"not ".repeat(MAX_QUERY_DEPTH + 5)}a > 1`).rule).toMatch(/nested deeper than/);
    expect(syntaxError("a > 1 or ".repeat(60) + "a > 1").rule).toMatch(/at most 50 conditions/);
    expect(syntaxError("a".repeat(2001)).rule).toMatch(/at most 2000 characters/);
  });
});
