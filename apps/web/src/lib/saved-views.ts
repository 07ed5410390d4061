/** Saved views of the runs table: a name and the view's URL query, per team, in localStorage. */
export interface SavedView {
  name: string;
  query: string;
}

type Store = Pick<Storage, "getItem" | "setItem">;

const storageKey = (teamId: string) => `runboard.views.${teamId}`;

function isSavedView(value: unknown): value is SavedView {
  const view = value as SavedView;
  return typeof value === "object" && value !== null && typeof view.name === "string" && typeof view.query === "string";
}

export function loadViews(store: Store, teamId: string): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(store.getItem(storageKey(teamId)) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter(isSavedView) : [];
  } catch {
    return [];
  }
}

/** Saves under a name (replacing a view of that name); returns the list, sorted by name. */
export function saveView(store: Store, teamId: string, view: SavedView): SavedView[] {
  const name = view.name.trim();
  if (name === "") throw new Error("view name: must not be empty");
  const views = [...loadViews(store, teamId).filter((other) => other.name !== name), { name, query: view.query }];
  views.sort((a, b) => a.name.localeCompare(b.name));
  store.setItem(storageKey(teamId), JSON.stringify(views));
  return views;
}

export function deleteView(store: Store, teamId: string, name: string): SavedView[] {
  const views = loadViews(store, teamId).filter((view) => view.name !== name);
  store.setItem(storageKey(teamId), JSON.stringify(views));
  return views;
}
