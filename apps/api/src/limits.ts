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
  /** compareRuns: runs and keys in one comparison, and series (runs × keys) at most. */
  compareRuns: 100,
  compareKeys: 20,
  compareSeries: 400,
  /** compareRuns: maxPoints × series at most (400 series at 1,000 points; 80 series at 5,000). */
  comparePoints: 400_000,
  tags: 100,
  leaderboardEntries: 500,
  /** Largest page of a team's audit log. */
  auditPage: 200,
} as const;
