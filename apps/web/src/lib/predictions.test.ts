import { describe, expect, it } from "vitest";
import { cellItems, datasetFileHref, datasetRelativePath, parsePredictionsCsv, predictionDiff, type Prediction } from "./predictions.ts";

/** The worker's format: the path as a JSON string, then actual, predicted, loss, p_<class>. */
function csv(rows: Array<[string, string, string, number, number, number]>): string {
  const lines = rows.map(([path, actual, predicted, loss, pCat, pDog]) =>
    [JSON.stringify(path), actual, predicted, loss.toFixed(6), pCat.toFixed(6), pDog.toFixed(6)].join(","),
  );
  return `${["path,actual,predicted,loss,p_cat,p_dog", ...lines].join("\n")}\n`;
}

describe("parsePredictionsCsv", () => {
  it("reads quoted paths with commas, quotes and backslashes, and one probability per class", () => {
    const text = csv([
      ['/data/pets/cat/a, "b".png', "cat", "cat", 0.1, 0.9, 0.1],
      ["C:\\data\\dog\\c.png", "dog", "cat", 1.2, 0.7, 0.3],
    ]);
    const { classes, rows } = parsePredictionsCsv(text);
    expect(classes).toEqual(["cat", "dog"]);
    expect(rows).toEqual([
      { path: '/data/pets/cat/a, "b".png', actual: "cat", predicted: "cat", loss: 0.1, probabilities: { cat: 0.9, dog: 0.1 } },
      { path: "C:\\data\\dog\\c.png", actual: "dog", predicted: "cat", loss: 1.2, probabilities: { cat: 0.7, dog: 0.3 } },
    ]);
  });

  it("names the line of a malformed row and refuses another header", () => {
    expect(() => parsePredictionsCsv('path,actual,predicted,loss,p_cat\n"a.png",cat,cat,0.1\n')).toThrow("predictions line 2: expected 5 fields, found 4");
    expect(() => parsePredictionsCsv("file,label\n")).toThrow('header must start with "path,actual,predicted,loss"');
    expect(() => parsePredictionsCsv('path,actual,predicted,loss\n"a.png,cat,cat,0.1\n')).toThrow("line 2: unterminated quoted path");
  });
});

const row = (path: string, actual: string, predicted: string, loss: number, pCat: number): Prediction => ({
  path,
  actual,
  predicted,
  loss,
  probabilities: { cat: pCat, dog: 1 - pCat },
});

describe("cellItems", () => {
  it("keeps the items of one (actual, predicted) cell, largest loss first", () => {
    const rows = [row("a", "dog", "cat", 0.5, 0.6), row("b", "dog", "cat", 2, 0.9), row("c", "dog", "dog", 0.1, 0.1), row("d", "cat", "dog", 1, 0.3)];
    expect(cellItems(rows, "dog", "cat").map((r) => r.path)).toEqual(["b", "a"]);
    expect(cellItems(rows, "dog", "dog").map((r) => r.path)).toEqual(["c"]);
    expect(cellItems(rows, "cat", "cat")).toEqual([]);
  });
});

describe("predictionDiff", () => {
  it("finds items that went from right to wrong and back, with both runs' predictions and probabilities", () => {
    const first = [
      row("a", "cat", "cat", 0.1, 0.9),
      row("b", "dog", "cat", 1.6, 0.8),
      row("c", "dog", "dog", 0.2, 0.2),
      row("d", "cat", "dog", 0.9, 0.4),
      row("only-first", "cat", "cat", 0.1, 0.9),
    ];
    const second = [
      row("a", "cat", "dog", 1.2, 0.3),
      row("b", "dog", "dog", 0.1, 0.1),
      row("c", "dog", "dog", 0.1, 0.1),
      row("d", "cat", "dog", 1.6, 0.2),
      row("only-second", "dog", "dog", 0.1, 0.1),
    ];
    const diff = predictionDiff(first, second);
    expect(diff.becameWrong).toEqual([
      {
        path: "a",
        actual: "cat",
        before: { predicted: "cat", confidence: 0.9, actualProbability: 0.9 },
        after: { predicted: "dog", confidence: 0.7, actualProbability: 0.3 },
      },
    ]);
    expect(diff.becameRight).toEqual([
      {
        path: "b",
        actual: "dog",
        before: { predicted: "cat", confidence: 0.8, actualProbability: expect.closeTo(0.2, 9) },
        after: { predicted: "dog", confidence: 0.9, actualProbability: 0.9 },
      },
    ]);
    expect([diff.shared, diff.unmatched]).toEqual([4, 2]);
  });

  it("orders each list by the confidence of the mistake", () => {
    const first = [row("x", "dog", "dog", 0.1, 0.1), row("y", "dog", "dog", 0.1, 0.1)];
    const second = [row("x", "dog", "cat", 0.8, 0.55), row("y", "dog", "cat", 2.3, 0.9)];
    expect(predictionDiff(first, second).becameWrong.map((item) => item.path)).toEqual(["y", "x"]);
    expect(predictionDiff(second, first).becameRight.map((item) => item.path)).toEqual(["y", "x"]);
  });
});

describe("datasetRelativePath", () => {
  it("strips the dataset folder (or the CSV's folder) and refuses paths elsewhere", () => {
    expect(datasetRelativePath("/data/pets", "/data/pets/valid/cat/1.png")).toBe("valid/cat/1.png");
    expect(datasetRelativePath("/data/pets/", "/data/pets/cat/1.png")).toBe("cat/1.png");
    expect(datasetRelativePath("/data/pets/labels.csv", "/data/pets/images/1.png")).toBe("images/1.png");
    expect(datasetRelativePath("C:\\data\\pets", "C:\\data\\pets\\cat\\1.png")).toBe("cat/1.png");
    expect(datasetRelativePath("/data/pets", "/data/petsy/cat/1.png")).toBeNull();
    expect(datasetRelativePath("/data/pets", "/data/pets/../secret.png")).toBeNull();
    expect(datasetFileHref("d-1", "cat/a b.png", 128)).toBe("/api/datasets/d-1/files?path=cat%2Fa+b.png&size=128");
  });
});
