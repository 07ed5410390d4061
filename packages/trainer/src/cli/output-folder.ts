/**
 * A run folder is written file by file under an INCOMPLETE marker that is removed once the
 * last file is in place, so a folder whose writing stopped half-way (a signal, a crash, a full
 * disk) says so, and predict, interpret and export refuse it. SIGINT and SIGTERM during the
 * writing never cut a file short: the file being written is finished (each is written aside
 * and renamed into place), then the writing stops and the marker stays.
 */
import { constants } from "node:os";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "./options.ts";

export const INCOMPLETE_MARKER = "INCOMPLETE";

const MARKER_TEXT =
  "This run folder is being written, or its writing was interrupted: its files may not belong together.\n" + "Train again with the same --out to replace it.\n";

/** SIGINT or SIGTERM stopped the command; the exit code is the shell's 128 + signal number. */
export class Interrupted extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    message: string,
  ) {
    super(message);
    this.name = "Interrupted";
  }

  get exitCode(): number {
    return exitCodeOf(this.signal);
  }
}

/** The shell's exit status of a process that a signal stopped: 128 + the signal's number. */
export function exitCodeOf(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/** Calls `onSignal` on SIGINT and SIGTERM (instead of the default exit) until the returned function is called. */
export function catchInterrupts(onSignal: (signal: NodeJS.Signals) => void): () => void {
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

/** Runs `steps` (each writes one file or folder into `dir`) under the marker; a signal stops it between steps. */
export async function writeRunFolder(dir: string, steps: readonly (() => unknown)[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, INCOMPLETE_MARKER);
  writeFileSync(marker, MARKER_TEXT);
  let received: NodeJS.Signals | undefined;
  const release = catchInterrupts((signal) => void (received ??= signal));
  try {
    for (const step of steps) {
      if (received)
        throw new Interrupted(
          received,
          `interrupted by ${received} while writing ${dir}; the files written so far are complete, and the folder is marked incomplete (${INCOMPLETE_MARKER})`,
        );
      await step();
    }
    rmSync(marker);
    if (received) throw new Interrupted(received, `interrupted by ${received}; ${dir} was completed first`);
  } finally {
    release();
  }
}

/** Refuses a run folder that carries the marker. */
export function refuseIncomplete(dir: string, what: string): void {
  if (existsSync(join(dir, INCOMPLETE_MARKER))) {
    throw new UsageError(
      `${what}: run folder '${dir}' is incomplete (it has ${INCOMPLETE_MARKER}: its writing was interrupted); train again with --out ${dir}`,
    );
  }
}
