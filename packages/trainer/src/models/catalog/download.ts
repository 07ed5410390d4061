/**
 * Downloads a pinned file into the cache: resumes a partial download with an HTTP Range
 * request, follows redirects, gives up on a server silent for too long, and checks size and
 * sha256 before the file takes its final name, so a file in the cache is always a verified one.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";

export interface Pinned {
  url: string;
  size: number;
  sha256: string;
}

export interface DownloadOptions {
  /** Called as bytes arrive: (bytes on disk, expected size). */
  onProgress?: (received: number, total: number) => void;
  /** Give up when the server sends nothing for this long (default 30 s); the partial file is kept. */
  idleTimeoutMs?: number;
}

/** The host cannot be reached at all (no network, DNS failure, refused): a one-line message. */
export class NoNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoNetworkError";
  }
}

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DownloadError";
  }
}

const UNREACHABLE = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "UND_ERR_CONNECT_TIMEOUT"]);

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return cause?.code ?? cause?.errors?.[0]?.code;
}

export function sha256OfFile(path: string): string {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, "r");
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

async function sha256Streamed(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Whether `path` holds exactly the pinned bytes (size first: cheap, and catches most damage). */
export function isVerified(path: string, pinned: Pick<Pinned, "size" | "sha256">): boolean {
  return existsSync(path) && statSync(path).size === pinned.size && sha256OfFile(path) === pinned.sha256;
}

async function request(url: string, from: number, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { headers: from > 0 ? { Range: `bytes=${from}-` } : {}, redirect: "follow", signal });
  } catch (error) {
    const code = errorCode(error);
    if (code && UNREACHABLE.has(code)) throw new NoNetworkError(`no network: cannot reach ${new URL(url).host} (${code})`);
    if (signal.aborted) throw new DownloadError(`${url}: no answer for too long`);
    throw new DownloadError(`${url}: ${(error as Error).message}${code ? ` (${code})` : ""}`);
  }
}

/** Where the body starts: `from` on a 206 that continues our partial file, 0 on a full 200. */
function startOf(response: Response, url: string, from: number): number {
  if (response.status === 206) {
    const match = /^bytes (\d+)-/.exec(response.headers.get("content-range") ?? "");
    if (!match || Number(match[1]) !== from)
      throw new DownloadError(`${url}: the server resumed at the wrong offset (${response.headers.get("content-range")})`);
    return from;
  }
  if (response.ok) return 0;
  throw new DownloadError(`${url}: HTTP ${response.status} ${response.statusText}`);
}

/** Streams the body onto `part` (appending from `start`); returns the bytes now on disk. */
async function receive(response: Response, part: string, start: number, pinned: Pinned, options: DownloadOptions, idle: { touch(): void }): Promise<number> {
  const file = await open(part, start > 0 ? "a" : "w");
  let received = start;
  options.onProgress?.(received, pinned.size);
  try {
    if (!response.body) return received;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      idle.touch();
      if (received + chunk.length > pinned.size) {
        throw new DownloadError(`${pinned.url}: the server sent more than the ${pinned.size} bytes the catalog pins`);
      }
      await file.write(chunk);
      received += chunk.length;
      options.onProgress?.(received, pinned.size);
    }
  } finally {
    await file.close();
  }
  return received;
}

/**
 * Makes `target` hold the pinned file: nothing to do when it is there and verified; otherwise
 * downloads into `target.part` (continuing what a previous try left) and renames it once its
 * size and sha256 match. A wrong hash or an oversized body deletes the partial file; an
 * interrupted or stalled transfer keeps it for the next try.
 */
export async function downloadPinned(pinned: Pinned, target: string, options: DownloadOptions = {}): Promise<void> {
  // Hashed as a stream: a server process (the API) keeps answering while a large cached file is checked.
  if (existsSync(target) && statSync(target).size === pinned.size && (await sha256Streamed(target)) === pinned.sha256) return;
  mkdirSync(dirname(target), { recursive: true });
  const part = `${target}.part`;
  let from = existsSync(part) ? statSync(part).size : 0;
  if (from >= pinned.size) {
    rmSync(part, { force: true });
    from = 0;
  }
  const controller = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const idle = {
    touch: () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), idleMs);
    },
  };
  idle.touch();
  let received: number;
  try {
    const response = await request(pinned.url, from, controller.signal);
    if (response.status === 416) {
      rmSync(part, { force: true });
      throw new DownloadError(`${pinned.url}: the server refused to resume (HTTP 416); the partial download was deleted, run again`);
    }
    received = await receive(response, part, startOf(response, pinned.url, from), pinned, options, idle);
  } catch (error) {
    if (error instanceof DownloadError && error.message.includes("more than")) rmSync(part, { force: true });
    if (error instanceof NoNetworkError || error instanceof DownloadError) throw error;
    const kept = existsSync(part) ? statSync(part).size : 0;
    const why = controller.signal.aborted ? `no data for ${idleMs / 1000} s` : (error as Error).message;
    throw new DownloadError(`${pinned.url}: interrupted at ${kept} of ${pinned.size} bytes (${why}); run again to resume`);
  } finally {
    clearTimeout(timer);
  }
  if (received < pinned.size) throw new DownloadError(`${pinned.url}: the body ended at ${received} of ${pinned.size} bytes; run again to resume`);
  const digest = await sha256Streamed(part);
  if (digest !== pinned.sha256) {
    rmSync(part, { force: true });
    throw new DownloadError(`${pinned.url}: sha256 ${digest} does not match the catalog's ${pinned.sha256}; the download was deleted`);
  }
  renameSync(part, target);
}
