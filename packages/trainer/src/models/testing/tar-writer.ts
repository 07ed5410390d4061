/** A minimal ustar writer for tests: archives made from generated models, and hostile ones. */
import { gzipSync } from "node:zlib";

export interface TarMember {
  name: string;
  data?: Uint8Array;
  /** "0" file (default), "5" folder, "2" symbolic link. */
  type?: "0" | "5" | "2";
  linkname?: string;
}

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value.slice(0, length), offset, "utf8");
}

function headerOf(member: TarMember, size: number): Buffer {
  const header = Buffer.alloc(512);
  field(header, 0, 100, member.name);
  field(header, 100, 8, "0000644\0");
  field(header, 108, 8, "0000000\0");
  field(header, 116, 8, "0000000\0");
  field(header, 124, 12, `${size.toString(8).padStart(11, "0")}\0`);
  field(header, 136, 12, "00000000000\0");
  field(header, 148, 8, "        ");
  field(header, 156, 1, member.type ?? "0");
  field(header, 157, 100, member.linkname ?? "");
  field(header, 257, 6, "ustar\0");
  field(header, 263, 2, "00");
  const sum = header.reduce((total, byte) => total + byte, 0);
  field(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

export function tarGz(members: TarMember[]): Buffer {
  const blocks: Buffer[] = [];
  for (const member of members) {
    const data = Buffer.from(member.data ?? new Uint8Array());
    blocks.push(headerOf(member, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
