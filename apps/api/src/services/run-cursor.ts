import { badInput } from "@runboard/db";
/**
 * Keyset cursors for the runs list. A cursor holds the sort values of the run it points at
 * (and the sort they belong to); the next page is the runs that sort after those values, so
 * runs created or deleted between two pages neither repeat nor skip a run, and deep pages cost
 * no more than the first. Every sort is its keys, each NULLS LAST, then the run id ascending.
 */

export interface SortKey {
  /** SQL expression of the key, e.g. "r.created_at" or "sm.last". */
  expression: string;
  /** SQL type that its text form is read back as. */
  type: "timestamptz" | "text" | "float8";
  direction: "ASC" | "DESC";
}

export interface Cursor {
  /** The sort this cursor was made in: a cursor is only valid for the same sort. */
  sort: string;
  /** The run's sort values as PostgreSQL text (null where the run has none), then its id. */
  values: (string | null)[];
  id: string;
}

export const orderByKeys = (keys: readonly SortKey[]): string => [...keys.map((k) => `${k.expression} ${k.direction} NULLS LAST`), "r.id"].join(", ");

/** The select-list items that return each key as text, aliased sort_key_0, sort_key_1, … */
export const sortKeyColumns = (keys: readonly SortKey[]): string[] => keys.map((k, i) => `(${k.expression})::text AS sort_key_${i}`);

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.values, cursor.id])).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The cursor in `after`, checked against the current sort and its key count. */
export function decodeCursor(after: string, sort: string, keyCount: number): Cursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(after, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const [cursorSort, values, id] = Array.isArray(decoded) ? decoded : [];
  const valid =
    typeof cursorSort === "string" &&
    Array.isArray(values) &&
    values.length === keyCount &&
    values.every((v) => v === null || typeof v === "string") &&
    typeof id === "string" &&
    UUID.test(id);
  if (!valid) throw badInput("after", "must be a cursor returned by a previous page");
  if (cursorSort !== sort) throw badInput("after", "must come from a page of the same sort");
  return { sort: cursorSort, values: values as (string | null)[], id };
}

/**
 * The condition "sorts after the cursor's run": for some key i, the keys before i equal the
 * cursor's and key i comes later (a value before NULL, NULLS LAST); or every key equals the
 * cursor's and the id is greater. `param` adds a value and returns its placeholder.
 */
export function afterCursor(keys: readonly SortKey[], cursor: Cursor, param: (value: unknown) => string): string {
  const same: string[] = [];
  const alternatives: string[] = [];
  keys.forEach((key, i) => {
    const value = cursor.values[i] ?? null;
    const placeholder = value === null ? "" : `${param(value)}::${key.type}`;
    if (value !== null) {
      const later = `${key.expression} ${key.direction === "ASC" ? ">" : "<"} ${placeholder} OR ${key.expression} IS NULL`;
      alternatives.push(`(${[...same, `(${later})`].join(" AND ")})`);
    }
    // after a NULL only NULLs follow, which tie
    same.push(value === null ? `${key.expression} IS NULL` : `${key.expression} = ${placeholder}`);
  });
  alternatives.push(`(${[...same, `r.id > ${param(cursor.id)}::uuid`].join(" AND ")})`);
  return `(${alternatives.join(" OR ")})`;
}
