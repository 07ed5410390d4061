/**
 * `npm start`: the whole platform on one machine (scripts/platform.ts), run in a process group
 * of its own, with this process passing signals on.
 *
 * Why a group of its own: Ctrl-C in a terminal sends SIGINT to every process of the foreground
 * group. The embedded PostgreSQL would get it too and stop at once, while the worker still had
 * a run to put back in the queue. Here only npm and this process get it; the platform then stops
 * web, API and worker first, and PostgreSQL last. SIGINT or SIGTERM sent to this process alone
 * (or to npm, which passes them on) stop it the same way.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const platformScript = fileURLToPath(new URL("./platform.ts", import.meta.url));

// detached: a new session and process group. The IPC channel tells the platform when this
// process is gone (killed), so the platform never outlives it.
const platform = spawn(process.execPath, ["--import", "tsx", platformScript], { detached: true, stdio: ["ignore", "inherit", "inherit", "ipc"] });

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => platform.kill(signal));
}
platform.on("exit", (code) => process.exit(code ?? 1));
