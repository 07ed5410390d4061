// Preloaded into the Prisma CLI process by prisma-cli.ts. The WASM schema engine (6.19) starts a
// 10 s timer for its advisory-lock wait and never clears it, so every `migrate deploy` would sit
// idle for 10 s after its work is done. Timers the engine creates are unref'd: while it still
// waits on the database, the open connection keeps the process alive; once the work is done,
// the process exits at once.
"use strict";
const scheduleTimeout = global.setTimeout;
global.setTimeout = function setTimeoutUnrefFromWasm(callback, delay, ...args) {
  const timer = scheduleTimeout(callback, delay, ...args);
  if (new Error().stack?.includes("wasm://")) timer.unref();
  return timer;
};
