/**
 * A minimal PDF writer for tests: pages of a given size with hand-written content streams
 * (rectangles, Helvetica text), a correct cross-reference table, and optionally the standard
 * security handler (RC4 40-bit, revision 2) with a user password, to make encrypted files.
 */
import { createHash } from "node:crypto";

export interface PdfPage {
  width: number;
  height: number;
  /** Content stream operators, e.g. "0 0 0 rg 10 10 50 30 re f". */
  content: string;
}

const PASSWORD_PADDING = Buffer.from("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A", "hex");

function rc4(key: Buffer, data: Buffer): Buffer {
  const state = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + state[i]! + key[i % key.length]!) & 255;
    [state[i], state[j]] = [state[j]!, state[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + state[i]!) & 255;
    [state[i], state[j]] = [state[j]!, state[i]!];
    out[k] = data[k]! ^ state[(state[i]! + state[j]!) & 255]!;
  }
  return out;
}

function padPassword(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, "latin1"), PASSWORD_PADDING]).subarray(0, 32);
}

const md5 = (data: Buffer): Buffer => createHash("md5").update(data).digest();

/** The /Encrypt dictionary of PDF 1.4's algorithms 3 and 4 (revision 2, 40-bit key). */
function encryptDictionary(userPassword: string, fileId: Buffer): string {
  const permissions = -4;
  const owner = rc4(md5(padPassword(userPassword)).subarray(0, 5), padPassword(userPassword));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const key = md5(Buffer.concat([padPassword(userPassword), owner, p, fileId])).subarray(0, 5);
  const user = rc4(key, PASSWORD_PADDING);
  return `<< /Filter /Standard /V 1 /R 2 /O <${owner.toString("hex")}> /U <${user.toString("hex")}> /P ${permissions} >>`;
}

export function writePdf(pages: PdfPage[], options: { userPassword?: string } = {}): Uint8Array {
  const fileId = md5(Buffer.from(JSON.stringify(pages)));
  const objects: string[] = ["<< /Type /Catalog /Pages 2 0 R >>"];
  objects.push(`<< /Type /Pages /Kids [${pages.map((_, i) => `${3 + 2 * i} 0 R`).join(" ")}] /Count ${pages.length} >>`);
  const font = "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>";
  pages.forEach((page, i) => {
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Contents ${4 + 2 * i} 0 R /Resources ${font} >>`);
    objects.push(`<< /Length ${page.content.length} >>\nstream\n${page.content}\nendstream`);
  });
  if (options.userPassword !== undefined) objects.push(encryptDictionary(options.userPassword, fileId));
  let text = "%PDF-1.4\n";
  const offsets = objects.map((object, i) => {
    const offset = text.length;
    text += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  const encrypt = options.userPassword === undefined ? "" : ` /Encrypt ${objects.length} 0 R`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} /ID [<${fileId.toString("hex")}> <${fileId.toString("hex")}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, "latin1");
}
