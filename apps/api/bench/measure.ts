/**
 * What every benchmark line reports: the machine's load average when it was taken (this
 * machine is shared, so a number without its load means little), latency percentiles, and
 * the CPU time the API process and its PostgreSQL backends spent on a piece of work.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import type pg from "pg";

export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");
}

export const cores = availableParallelism();

/** Median and 95th percentile of `iterations` sequential calls, after `warmup` untimed ones. */
export async function percentiles(call: () => Promise<unknown>, iterations = 30, warmup = 3) {
  for (let i = 0; i < warmup; i++) await call();
  const load = loadAverage();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), min: times[0] ?? Number.NaN, load };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const TICKS_PER_SECOND = 100;

/** utime + stime of a process in seconds, from /proc (null where /proc or the process is not readable). */
function processCpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * CPU seconds spent by this process and by the database's client backends (when PostgreSQL
 * runs on this machine; null otherwise) between the call and the returned stop().
 */
export async function cpuMeter(pool: pg.Pool) {
  const databaseSeconds = async (): Promise<Map<number, number> | null> => {
    const { rows } = await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
    );
    const entries = rows.map((row) => [row.pid, processCpuSeconds(row.pid)] as const);
    return entries.some(([, seconds]) => seconds === null) ? null : new Map(entries as Array<[number, number]>);
  };
  const before = await databaseSeconds();
  const node = process.cpuUsage();
  return async () => {
    const used = process.cpuUsage(node);
    const after = await databaseSeconds();
    const database = before === null || after === null ? null : [...after].reduce((sum, [pid, seconds]) => sum + seconds - (before.get(pid) ?? 0), 0);
    return { node: (used.user + used.system) / 1e6, database };
  };
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of request durations in ms (NaN for an empty list). */
export function latencySummary(times: readonly number[]): LatencySummary {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}
