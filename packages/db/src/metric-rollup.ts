/**
 * The geometry of the metric_rollup table, shared by ingestion (which fills it) and the API's
 * downsampling (which reads it).
 */

/** Rollup level L aggregates 4^(L + ROLLUP_BASE) consecutive steps into one row. */
export const ROLLUP_BASE = 2;
export const ROLLUP_LEVELS = 10;
