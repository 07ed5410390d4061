/**
 * sharp's decoding errors as one line that says what is wrong with the file. libvips puts its
 * details on further lines, often repeated, and sometimes none at all: a PNG whose header
 * cannot be read comes back as "Input buffer has corrupt header:" and nothing after the colon.
 */

const SIGNATURES: [format: string, bytes: number[]][] = [
  ["PNG", [0x89, 0x50, 0x4e, 0x47]],
  ["JPEG", [0xff, 0xd8, 0xff]],
  ["GIF", [0x47, 0x49, 0x46, 0x38]],
  ["WebP", [0x52, 0x49, 0x46, 0x46]],
  ["TIFF", [0x49, 0x49, 0x2a, 0x00]],
  ["TIFF", [0x4d, 0x4d, 0x00, 0x2a]],
  ["BMP", [0x42, 0x4d]],
];

/** The format a file's first bytes announce, or undefined. */
function announcedFormat(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find(([, signature]) => signature.every((byte, i) => bytes[i] === byte))?.[0];
}

/** The decoder's message on one line: its lines trimmed, repeats and empty ones dropped. */
function oneLine(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return [...new Set(lines)].join("; ");
}

const CORRUPT_HEADER = /^Input (buffer|file) has corrupt header:\s*/;

/** Why `bytes` could not be decoded, from the error sharp threw on them. */
export function decodeErrorReason(error: unknown, bytes: Uint8Array): string {
  const text = oneLine(error instanceof Error ? error.message : String(error));
  const corrupt = CORRUPT_HEADER.exec(text);
  if (!corrupt) return text.replace(/:$/, "") || "the decoder gave no reason";
  const format = announcedFormat(bytes);
  const what = format ? `corrupt ${format} header` : "corrupt header (no known image format starts this way)";
  const detail = text.slice(corrupt[0].length);
  return detail ? `${what}: ${detail}` : `${what}; the ${bytes.length}-byte file is truncated or damaged (the decoder gave no detail)`;
}
