/** The param diff of runs being compared: one row per key, marked when the runs disagree. */
export interface ParamRow {
  key: string;
  /** One value per run, in the runs' order; undefined where a run lacks the param. */
  values: unknown[];
  differs: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function paramDiff(runs: ReadonlyArray<{ params: ReadonlyArray<{ key: string; value: unknown }> }>): ParamRow[] {
  const keys = [...new Set(runs.flatMap((run) => run.params.map((param) => param.key)))].sort();
  const lookups = runs.map((run) => new Map(run.params.map((param) => [param.key, param.value])));
  return keys.map((key) => {
    const values = lookups.map((lookup) => lookup.get(key));
    return { key, values, differs: values.some((value) => !same(value, values[0])) };
  });
}
