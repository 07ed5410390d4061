/**
 * Leaderboard ranking: runs are grouped (k-fold folds, seeds of one config, one architecture),
 * each group reports its best run and the mean ± sample standard deviation of its runs, and
 * groups are ranked by their best value in the wanted direction.
 */
export type Direction = "MAX" | "MIN";

export interface ScoredRun {
  runId: string;
  group: string;
  value: number;
}

export interface LeaderboardGroup {
  group: string;
  bestRunId: string;
  best: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a group of one run. */
  std: number;
  runCount: number;
  runIds: string[];
}

export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === "MAX" ? a > b : a < b;
}

export function summarizeGroup(group: string, runs: ScoredRun[], direction: Direction): LeaderboardGroup {
  let best = runs[0];
  if (best === undefined) throw new Error(`group ${group} has no runs`);
  for (const run of runs) if (isBetter(run.value, best.value, direction)) best = run;
  const mean = runs.reduce((sum, run) => sum + run.value, 0) / runs.length;
  const squares = runs.reduce((sum, run) => sum + (run.value - mean) ** 2, 0);
  const std = runs.length > 1 ? Math.sqrt(squares / (runs.length - 1)) : 0;
  return { group, bestRunId: best.runId, best: best.value, mean, std, runCount: runs.length, runIds: runs.map((r) => r.runId) };
}

export function rankGroups(runs: ScoredRun[], direction: Direction): LeaderboardGroup[] {
  const byGroup = new Map<string, ScoredRun[]>();
  for (const run of runs) {
    const members = byGroup.get(run.group) ?? [];
    members.push(run);
    byGroup.set(run.group, members);
  }
  const groups = [...byGroup].map(([group, members]) => summarizeGroup(group, members, direction));
  return groups.sort((a, b) => {
    if (a.best !== b.best) return isBetter(a.best, b.best, direction) ? -1 : 1;
    if (a.mean !== b.mean) return isBetter(a.mean, b.mean, direction) ? -1 : 1;
    return a.group.localeCompare(b.group);
  });
}
