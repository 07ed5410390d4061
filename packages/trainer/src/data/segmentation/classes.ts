/**
 * The classes of a segmentation data set: names in mask-index order, a display colour per
 * class, and the ignore index (void) whose pixels count in neither loss nor metrics. Read from
 * a small JSON file, from fastai's codes.txt, given in code, or derived from the masks.
 */
import { readFile } from "node:fs/promises";

export type Colour = [number, number, number];

export interface ClassList {
  /** Class names; a mask pixel with value i belongs to names[i]. */
  names: string[];
  /** One RGB colour per class (overlays, colour masks). */
  colours: Colour[];
  /** Mask value that marks unlabelled pixels (0-255, not a class index). */
  ignoreIndex: number;
  /** Colour of ignored pixels in colour masks and overlays. */
  ignoreColour: Colour;
}

/** The ignore index when none is given: 255, the boundary/void value of Pascal VOC masks. */
export const defaultIgnoreIndex = 255;
export const defaultIgnoreColour: Colour = [0, 0, 0];

/** Pascal VOC's colour map (bits of the index spread over R, G, B): distinct, stable colours. */
export function defaultColour(index: number): Colour {
  const colour: Colour = [0, 0, 0];
  let value = index + 1; // index 0 would be black, the ignore colour
  for (let shift = 7; shift >= 0; shift--) {
    for (let channel = 0; channel < 3; channel++) colour[channel]! |= ((value >> channel) & 1) << shift;
    value >>= 3;
  }
  return colour;
}

/**
 * CamVid's 11 classes as the SegNet version stores them (index 11 is void), with SegNet's
 * display colours.
 */
export const camvidClasses: ClassList = {
  names: ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car", "Pedestrian", "Bicyclist"],
  colours: [
    [128, 128, 128],
    [128, 0, 0],
    [192, 192, 128],
    [128, 64, 128],
    [60, 40, 222],
    [128, 128, 0],
    [192, 128, 128],
    [64, 64, 128],
    [64, 0, 128],
    [64, 64, 0],
    [0, 128, 192],
  ],
  ignoreIndex: 11,
  ignoreColour: [0, 0, 0],
};

function isColour(value: unknown): value is Colour {
  return Array.isArray(value) && value.length === 3 && value.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);
}

function checkIgnoreIndex(value: unknown, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 255) {
    throw new Error(`${where}: ignoreIndex must be an integer from 0 to 255, got ${JSON.stringify(value)}`);
  }
  return value as number;
}

/** Checks a class list given in code or read from a file; `where` names it in errors. */
export function validateClassList(list: ClassList, where = "classes"): ClassList {
  const { names, colours } = list;
  if (!Array.isArray(names) || names.length < 2) throw new Error(`${where}: needs at least 2 class names, got ${Array.isArray(names) ? names.length : "none"}`);
  if (names.length > 255) throw new Error(`${where}: at most 255 classes fit in 8-bit masks, got ${names.length}`);
  names.forEach((name, i) => {
    if (typeof name !== "string" || name.trim() === "") throw new Error(`${where}: class ${i} has no name`);
  });
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new Error(`${where}: class name "${repeated}" appears twice`);
  if (colours.length !== names.length) throw new Error(`${where}: ${names.length} classes but ${colours.length} colours`);
  colours.forEach((colour, i) => {
    if (!isColour(colour)) throw new Error(`${where}: the colour of class "${names[i]}" must be [r, g, b] with integers 0-255`);
  });
  const ignoreIndex = checkIgnoreIndex(list.ignoreIndex, where);
  if (ignoreIndex < names.length) {
    throw new Error(`${where}: ignoreIndex ${ignoreIndex} is the index of class "${names[ignoreIndex]}"; use a value from ${names.length} to 255`);
  }
  if (!isColour(list.ignoreColour)) throw new Error(`${where}: ignoreColour must be [r, g, b] with integers 0-255`);
  return { names: [...names], colours: colours.map((c) => [...c] as Colour), ignoreIndex, ignoreColour: [...list.ignoreColour] as Colour };
}

/** Names with default colours and ignore index. */
export function classListOf(names: string[], ignoreIndex = defaultIgnoreIndex): ClassList {
  return validateClassList({ names, colours: names.map((_, i) => defaultColour(i)), ignoreIndex, ignoreColour: defaultIgnoreColour });
}

/**
 * Parses a classes JSON document: either an array of classes, or
 * `{ "classes": [...], "ignoreIndex": 255, "ignoreColour": [0, 0, 0] }`, where each class is a
 * name or `{ "name": "road", "colour": [128, 64, 128] }` (missing colours get defaults).
 */
export function parseClassList(text: string, where = "classes JSON"): ClassList {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const body = Array.isArray(document) ? { classes: document } : document;
  if (typeof body !== "object" || body === null || !Array.isArray((body as { classes?: unknown }).classes)) {
    throw new Error(`${where}: expected an array of classes or an object with a "classes" array`);
  }
  const { classes, ignoreIndex, ignoreColour, ...rest } = body as { classes: unknown[]; ignoreIndex?: unknown; ignoreColour?: unknown };
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new Error(`${where}: unknown field "${unknown[0]}"; allowed fields are classes, ignoreIndex, ignoreColour`);
  const names: string[] = [];
  const colours: Colour[] = [];
  classes.forEach((entry, i) => {
    if (typeof entry === "string") {
      names.push(entry);
      colours.push(defaultColour(i));
      return;
    }
    const { name, colour } = (entry ?? {}) as { name?: unknown; colour?: unknown };
    if (typeof name !== "string") throw new Error(`${where}: class ${i} must be a name or { "name": ..., "colour": [r, g, b] }`);
    if (colour !== undefined && !isColour(colour)) throw new Error(`${where}: the colour of class "${name}" must be [r, g, b] with integers 0-255`);
    names.push(name);
    colours.push(colour ?? defaultColour(i));
  });
  return validateClassList(
    {
      names,
      colours,
      ignoreIndex: ignoreIndex === undefined ? defaultIgnoreIndex : checkIgnoreIndex(ignoreIndex, where),
      ignoreColour: (ignoreColour ?? defaultIgnoreColour) as Colour,
    },
    where,
  );
}

/** fastai's codes.txt: one class name per line, in index order. */
export function parseCodes(text: string, where = "codes.txt", ignoreIndex = defaultIgnoreIndex): ClassList {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  try {
    return classListOf(names, ignoreIndex);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message.replace(/^classes: /, "")}`, { cause: error });
  }
}

/** Reads a classes file: `.txt` as codes.txt, anything else as JSON. */
export async function readClassList(path: string): Promise<ClassList> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new Error(`classes file ${path}: does not exist or cannot be read`);
  }
  return path.toLowerCase().endsWith(".txt") ? parseCodes(text, path) : parseClassList(text, path);
}
