/**
 * Archives built byte by byte for upload tests, including the entries no honest archiver
 * writes (`../` paths, links, devices, lying sizes): tar blocks through node-tar's Header, zip
 * records by hand (local headers, central directory, end record).
 */
import { crc32, deflateRawSync, gzipSync } from "node:zlib";
import { classImage, encodeImage } from "@runboard/trainer/data/testing/images";
import { Header, type types } from "tar";

type EntryTypeName = types.EntryTypeName;

export interface ArchiveEntry {
  path: string;
  data?: Buffer;
  /** tar: a node-tar type name (File, Directory, SymbolicLink, Link, CharacterDevice, ...). */
  type?: EntryTypeName;
  linkpath?: string;
  /** zip: Unix mode bits in the external attributes (0o120777 marks a symlink). */
  mode?: number;
}

const BLOCK = 512;
const pad = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

export function tarArchive(entries: ArchiveEntry[], options: { gzip: boolean }): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    const type: EntryTypeName = entry.type ?? "File";
    const header = new Header({
      path: entry.path,
      type,
      mode: type === "Directory" ? 0o755 : 0o644,
      size: type === "File" ? data.length : 0,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      uname: "",
      gname: "",
      ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }),
    });
    const block = Buffer.alloc(BLOCK);
    header.encode(block, 0);
    parts.push(block);
    if (type === "File") parts.push(data, pad(data.length));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  const tar = Buffer.concat(parts);
  return options.gzip ? gzipSync(tar) : tar;
}

function zipRecord(entry: ArchiveEntry, offset: number) {
  const name = Buffer.from(entry.path, "utf8");
  const data = entry.data ?? Buffer.alloc(0);
  const compressed = data.length > 0 ? deflateRawSync(data) : data;
  const method = data.length > 0 ? 8 : 0;
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(((entry.mode ?? (entry.path.endsWith("/") ? 0o40755 : 0o100644)) << 16) >>> 0, 38);
  central.writeUInt32LE(offset, 42);
  return { local: Buffer.concat([local, name, compressed]), central: Buffer.concat([central, name]) };
}

export function zipArchive(entries: ArchiveEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const record = zipRecord(entry, offset);
    locals.push(record.local);
    centrals.push(record.central);
    offset += record.local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** `<prefix><class>/<class>_<i>.png` entries: small PNGs whose colour depends on the class. */
export async function imageEntries(counts: Record<string, number>, prefix = ""): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  for (const [c, name] of Object.keys(counts).sort().entries()) {
    for (let i = 0; i < (counts[name] ?? 0); i++) {
      entries.push({ path: `${prefix}${name}/${name}_${i}.png`, data: await encodeImage(classImage(c, c * 1000 + i, 16, 16), { format: "png" }) });
    }
  }
  return entries;
}
