/** The worker's configuration, read and validated in this one place. */
import { DEFAULT_ARTIFACT_ROOT } from "@runboard/queue";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, { message: "must be a postgresql:// URL" }),
  /** Runs trained at once by this process. */
  RUNBOARD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  RUNBOARD_WORKER_DEVICE: z.enum(["cpu", "cuda", "webgpu"]).default("cpu"),
  /** ONNX Runtime intra-op threads; 0: its default (all cores). */
  RUNBOARD_WORKER_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  /** Image decoding threads; unset: the trainer's default. */
  RUNBOARD_WORKER_DECODE_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  RUNBOARD_ARTIFACT_ROOT: z.string().min(1).default(DEFAULT_ARTIFACT_ROOT),
  /** Default: host name and process id. */
  RUNBOARD_WORKER_ID: z.string().min(1).max(200).optional(),
  RUNBOARD_HEARTBEAT_MS: z.coerce.number().int().min(100).default(10_000),
  /** A RUNNING run whose heartbeat is older than this is taken to have lost its worker. */
  RUNBOARD_STALE_AFTER_MS: z.coerce.number().int().min(500).default(30_000),
  RUNBOARD_METRIC_FLUSH_MS: z.coerce.number().int().min(10).max(1_000).default(500),
});

export type WorkerEnv = z.output<typeof schema>;

export function readWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid worker configuration: ${problems.join("; ")}`);
}
