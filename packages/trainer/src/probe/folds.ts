/**
 * Stratified k-fold by group (scikit-learn's StratifiedGroupKFold, simplified): every row of a
 * group (the augmented views of one source image) goes to the same fold, and each class's
 * groups are spread evenly over the folds. Deterministic for a seed.
 */
import { mixSeed, Random } from "../data/random.ts";

export interface GroupFolds {
  /** Folds used: the requested number, lowered to the fewest groups of any present class, at least 2. */
  folds: number;
  /** The held-out fold of each row. */
  foldOf: Int32Array;
}

interface Group {
  /** Position in the list. */
  index: number;
  id: number;
  label: number;
  rows: number;
}

/** The groups of the rows (each row its own when `groups` is absent), checking that a group has one label. */
export function groupsOf(labels: Int32Array, groups: Int32Array | undefined): { groupOfRow: Int32Array; list: Group[] } {
  const index = new Map<number, number>();
  const list: Group[] = [];
  const firstRow: number[] = [];
  const groupOfRow = new Int32Array(labels.length);
  for (let row = 0; row < labels.length; row++) {
    const id = groups ? (groups[row] as number) : row;
    const label = labels[row] as number;
    let g = index.get(id);
    if (g === undefined) {
      g = list.length;
      index.set(id, g);
      list.push({ index: g, id, label, rows: 0 });
      firstRow.push(row);
    }
    const group = list[g] as Group;
    if (group.label !== label) {
      throw new Error(
        `groups: rows ${firstRow[g]} and ${row} are both in group ${id} but have labels ${group.label} and ${label}; the rows of a group must share a label`,
      );
    }
    group.rows++;
    groupOfRow[row] = g;
  }
  return { groupOfRow, list };
}

export function stratifiedGroupFolds(labels: Int32Array, groups: Int32Array | undefined, requested: number, seed: number): GroupFolds {
  if (!Number.isInteger(requested) || requested < 2) throw new Error(`folds must be an integer ≥ 2, got ${requested}`);
  const { groupOfRow, list } = groupsOf(labels, groups);
  if (list.length < 2) throw new Error(`cross-validation needs at least 2 groups (source items), got ${list.length}`);
  const byClass = new Map<number, Group[]>();
  for (const group of list) {
    const members = byClass.get(group.label) ?? [];
    members.push(group);
    byClass.set(group.label, members);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const fewest = Math.min(...classes.map((label) => (byClass.get(label) as Group[]).length));
  const folds = Math.max(2, Math.min(requested, fewest));
  const foldOfGroup = new Int32Array(list.length);
  const total = new Float64Array(folds);
  for (const label of classes) {
    const members = new Random(mixSeed(seed, label)).shuffle([...(byClass.get(label) as Group[])]);
    // Larger groups first (stable: shuffled order among equals), each to the fold with the fewest
    // rows of this class, then the fewest rows overall, then the lowest index.
    members.sort((a, b) => b.rows - a.rows);
    const ofClass = new Float64Array(folds);
    for (const group of members) {
      let best = 0;
      for (let f = 1; f < folds; f++) {
        if (
          (ofClass[f] as number) < (ofClass[best] as number) ||
          ((ofClass[f] as number) === (ofClass[best] as number) && (total[f] as number) < (total[best] as number))
        )
          best = f;
      }
      foldOfGroup[group.index] = best;
      ofClass[best] = (ofClass[best] as number) + group.rows;
      total[best] = (total[best] as number) + group.rows;
    }
  }
  const foldOf = new Int32Array(labels.length);
  for (let row = 0; row < labels.length; row++) foldOf[row] = foldOfGroup[groupOfRow[row] as number] as number;
  return { folds, foldOf };
}

/** Rows of the training and held-out parts of fold `fold`. */
export function foldRows(foldOf: Int32Array, fold: number): { train: Int32Array; heldOut: Int32Array } {
  const train: number[] = [];
  const heldOut: number[] = [];
  for (let row = 0; row < foldOf.length; row++) (foldOf[row] === fold ? heldOut : train).push(row);
  return { train: Int32Array.from(train), heldOut: Int32Array.from(heldOut) };
}
