/**
 * Safe unpacking of a .tar.gz (ustar, with pax and GNU long names): only regular files and
 * folders are written, every name must stay inside the target folder (no absolute paths, no
 * '..'), links and devices are skipped, and the unpacked size is bounded (a gzip bomb stops at
 * the limit instead of filling the disk).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { promisify } from "node:util";
import { gunzip, gunzipSync } from "node:zlib";

const BLOCK = 512;

export interface UnpackLimits {
  /** Largest unpacked size in bytes (default 4 GiB). */
  maxBytes?: number;
}

export interface Unpacked {
  /** Regular files written, as archive paths ('/'-separated). */
  files: string[];
  /** Members not written (symbolic and hard links, devices, FIFOs). */
  skipped: string[];
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString("utf8");
}

function octal(block: Buffer, start: number, length: number, what: string): number {
  if ((block[start]! & 0x80) !== 0) throw new Error(`tar: ${what} in base-256 is not supported`);
  const value = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(value)) throw new Error(`tar: bad ${what} '${value}'`);
  return value === "" ? 0 : parseInt(value, 8);
}

function checksumOk(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum === octal(header, 148, 8, "checksum");
}

/** The member's path relative to the target, or an error when it would leave it. */
export function safeMemberPath(name: string): string {
  const normalized = posix.normalize(name.replaceAll("\\", "/"));
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name) || normalized === ".." || normalized.startsWith("../") || name.split(/[\\/]/).includes("..")) {
    throw new Error(`tar: member '${name}' would be written outside the target folder`);
  }
  return normalized.replace(/^(\.\/)+/, "").replace(/\/$/, "");
}

/** pax extended header records: "LEN key=value\n". Only `path` matters here. */
function paxPath(data: Buffer): string | undefined {
  let path: string | undefined;
  for (const record of data.toString("utf8").split("\n")) {
    const match = /^\d+ path=(.*)$/s.exec(record);
    if (match) path = match[1];
  }
  return path;
}

export function unpackTarGz(archive: Buffer, into: string, limits: UnpackLimits = {}): Unpacked {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: maxBytesOf(limits) });
  } catch (error) {
    throw new Error(`tar.gz: ${(error as Error).message}`, { cause: error });
  }
  return unpackTar(tar, into);
}

const maxBytesOf = (limits: UnpackLimits) => limits.maxBytes ?? 4 * 2 ** 30;
const gunzipAsync = promisify(gunzip);

/**
 * `unpackTarGz` with the decompression on libuv's thread pool, so a server process keeps
 * answering while a large archive inflates (about 2.5 s for 100 MB of weights, on the caller's
 * thread otherwise). Writing the files stays synchronous.
 */
export async function unpackTarGzAsync(archive: Buffer, into: string, limits: UnpackLimits = {}): Promise<Unpacked> {
  let tar: Buffer;
  try {
    tar = await gunzipAsync(archive, { maxOutputLength: maxBytesOf(limits) });
  } catch (error) {
    throw new Error(`tar.gz: ${(error as Error).message}`, { cause: error });
  }
  return unpackTar(tar, into);
}

/** Writes the members of an uncompressed tar under `into`, with the rules above. */
export function unpackTar(tar: Buffer, into: string): Unpacked {
  const result: Unpacked = { files: [], skipped: [] };
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (!checksumOk(header)) throw new Error(`tar: bad header checksum at byte ${offset}`);
    const size = octal(header, 124, 12, "size");
    const type = String.fromCharCode(header[156]!);
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw new Error(`tar: member at byte ${offset} is cut short`);
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x" || type === "L") {
      longName = type === "x" ? paxPath(data) : text(data, 0, data.length);
      continue;
    }
    if (type === "g") continue;
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    const relative = safeMemberPath(name);
    if (type === "5") {
      if (relative !== "" && relative !== ".") mkdirSync(join(into, relative), { recursive: true });
    } else if (type === "0" || type === "\0" || type === "7") {
      const target = join(into, relative);
      mkdirSync(dirname(target), { recursive: true });
      // "wx": a member named twice, or a path already there, is an error rather than an overwrite.
      writeFileSync(target, data, { flag: "wx" });
      result.files.push(relative);
    } else {
      result.skipped.push(name);
    }
  }
  return result;
}
