/**
 * The API's configuration, read and validated in this one place. DATABASE_URL is read by
 * the db package's bootstrap (unset: an embedded PostgreSQL is started).
 */
import { z } from "zod";
import { defaultQueryLimits } from "./server/limits-plugin.ts";
import { defaultRateLimits } from "./server/rate-limits.ts";
import { defaultUploadLimits } from "./uploads/limits.ts";

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  HOST: z.string().min(1).default("0.0.0.0"),
  RUNBOARD_MAX_QUERY_DEPTH: z.coerce.number().int().min(2).default(defaultQueryLimits.maxDepth),
  RUNBOARD_MAX_QUERY_COST: z.coerce.number().int().min(1).default(defaultQueryLimits.maxCost),
  /** Per API token and second: metric points logged, and query cost spent; 0 turns a limit off. */
  RUNBOARD_RATE_LIMIT_POINTS: z.coerce.number().int().min(0).default(defaultRateLimits.pointsPerSecond),
  RUNBOARD_RATE_LIMIT_QUERY_COST: z.coerce.number().int().min(0).default(defaultRateLimits.queryCostPerSecond),
  RUNBOARD_DB_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(20),
  /** Artifact files of launched runs; the same folder (or mount) the workers write to. */
  RUNBOARD_ARTIFACT_ROOT: z.string().min(1).optional(),
  /** POST /uploads: bytes of one upload as sent, bytes it may unpack to, and files in one archive. */
  RUNBOARD_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).default(defaultUploadLimits.maxUploadBytes),
  RUNBOARD_UPLOAD_MAX_EXTRACTED_BYTES: z.coerce.number().int().min(1).default(defaultUploadLimits.maxExtractedBytes),
  RUNBOARD_UPLOAD_MAX_FILES: z.coerce.number().int().min(1).default(defaultUploadLimits.maxFiles),
  /** Colon-separated folders that importDataset/importArchitecture may read; unset or empty: `.data/sources`. */
  RUNBOARD_SOURCE_ROOTS: z
    .string()
    .optional()
    .transform((value) => {
      const roots = (value ?? "").split(":").filter((part) => part !== "");
      return roots.length > 0 ? roots : undefined;
    }),
});

export type ApiEnv = z.output<typeof schema>;

export function readEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`invalid configuration: ${problems.join("; ")}`);
}
