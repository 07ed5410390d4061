#!/usr/bin/env node
// Launches the TypeScript CLI through tsx's loader (the trainer ships as TypeScript sources).
import { register } from "tsx/esm/api";

register();
// A closed pipe (runboard-train predict … | head) ends the output quietly.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
// Under `npm run train -- …` npm runs from the repo root; paths are meant from where it was typed.
if (process.env.npm_lifecycle_event === "train" && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
