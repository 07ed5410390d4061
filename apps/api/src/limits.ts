/** Hard limits on what one request may ask for or send. */
export const limits = {
  /** Points a single logMetrics call may carry. */
  logMetricsBatch: 10_000,
  /** Params a single logParams call may carry. */
  logParamsBatch: 1_000,
  /** Largest maxPoints for metricHistory and compareRuns. */
  maxPoints: 5_000,
  /** Largest page of runs. */
  runsPage: 500,
  /** Ids in one RunFilter.ids. */
  runIds: 500,
  /** compareRuns: runs × keys series at most. */
  compareRuns: 50,
  compareKeys: 20,
  tags: 100,
  leaderboardEntries: 500,
} as const;
