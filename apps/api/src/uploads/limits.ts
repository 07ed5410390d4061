import { badInput } from "@runboard/db";
/**
 * What an upload may be: its size on the wire, and what its archive may unpack to. Every
 * archive entry passes `entryPath` (where it lands) and the budget (how much lands) before a
 * byte of it is written.
 */

export interface UploadLimits {
  /** Bytes of the request body (the archive or model file as sent). */
  maxUploadBytes: number;
  /** Bytes of all extracted files together. */
  maxExtractedBytes: number;
  /** Files in one archive. */
  maxFiles: number;
  /** Extracted bytes per compressed byte; zip bombs reach thousands, images and CSVs stay far below. */
  maxCompressionRatio: number;
}

export const defaultUploadLimits: UploadLimits = {
  maxUploadBytes: 2 * 1024 ** 3,
  maxExtractedBytes: 8 * 1024 ** 3,
  maxFiles: 200_000,
  maxCompressionRatio: 200,
};

/** Junk some archivers add; skipped rather than refused. */
const SKIPPED = /(^|\/)(__MACOSX(\/|$)|\.DS_Store$)/;

/**
 * The relative path an entry is written to, or null for skipped junk. Refused: absolute
 * paths, drive letters, `..` anywhere, NUL bytes, backslashes (Windows separators would hide a `..`).
 */
export function entryPath(name: string): string | null {
  const shown = JSON.stringify(name.slice(0, 200));
  if (name.includes("\0")) throw badInput("body", `entry ${shown}: a path must not hold NUL bytes`);
  if (name.includes("\\")) throw badInput("body", `entry ${shown}: a path must use / as its separator`);
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name)) throw badInput("body", `entry ${shown}: absolute paths are not allowed`);
  const parts = name.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) throw badInput("body", `entry ${shown}: a path must not hold '..'`);
  if (parts.length === 0) return null;
  const path = parts.join("/");
  return SKIPPED.test(path) ? null : path;
}

const mebibytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(bytes < 1024 ** 2 ? 2 : 0)} MiB`;

/** Counts files and bytes as entries are admitted; refuses the archive the moment a limit is passed. */
export class ExtractionBudget {
  files = 0;
  bytes = 0;

  constructor(private readonly limits: UploadLimits) {}

  admitFile(size: number): void {
    this.files += 1;
    this.bytes += size;
    if (this.files > this.limits.maxFiles) throw badInput("body", `an archive may hold at most ${this.limits.maxFiles} files`);
    if (this.bytes > this.limits.maxExtractedBytes) {
      throw badInput("body", `an archive may unpack to at most ${mebibytes(this.limits.maxExtractedBytes)}`);
    }
  }

  checkRatio(extractedBytes: number, compressedBytes: number, what: string): void {
    // Tiny entries may compress absurdly well (a file of zeros) without harm.
    if (extractedBytes < 1024 ** 2) return;
    const ratio = extractedBytes / Math.max(1, compressedBytes);
    if (ratio > this.limits.maxCompressionRatio) {
      throw badInput(
        "body",
        `${what} unpacks to ${Math.round(ratio)}× its compressed size; at most ${this.limits.maxCompressionRatio}× is allowed (zip bomb?)`,
      );
    }
  }
}
