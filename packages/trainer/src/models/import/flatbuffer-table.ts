/**
 * A bounds-checked view of one FlatBuffers table over the `flatbuffers` runtime's ByteBuffer.
 * The runtime itself trusts its input; files from users are not trusted, so every offset
 * is checked against the buffer before it is followed, and errors name the field path.
 */
import { ByteBuffer } from "flatbuffers";

const SIZE_OF_UOFFSET = 4;

export class FlatTable {
  constructor(
    private readonly bb: ByteBuffer,
    private readonly position: number,
    /** Where this table is, for error messages: "subgraphs[0].tensors[12]". */
    readonly path: string,
  ) {
    checkRange(bb, position, 4, path);
    const vtable = position - bb.readInt32(position);
    checkRange(bb, vtable, 4, `${path} (vtable)`);
    checkRange(bb, vtable, bb.readUint16(vtable), `${path} (vtable)`);
  }

  /** The root table of a buffer, after checking its 4-byte file identifier (e.g. "TFL3"). */
  static root(bytes: Uint8Array, identifier: string, what: string): FlatTable {
    if (bytes.length < 8) throw new Error(`${what}: file is ${bytes.length} bytes, too short to be a FlatBuffer`);
    const bb = new ByteBuffer(bytes);
    const found = String.fromCharCode(...bytes.subarray(4, 8));
    if (found !== identifier) throw new Error(`${what}: file identifier is '${found}', expected '${identifier}'`);
    return new FlatTable(bb, bb.readUint32(0), what);
  }

  int(slot: number, fallback: number): number {
    const at = this.field(slot, 4);
    return at === 0 ? fallback : this.bb.readInt32(at);
  }

  uint(slot: number, fallback: number): number {
    const at = this.field(slot, 4);
    return at === 0 ? fallback : this.bb.readUint32(at);
  }

  byte(slot: number, fallback: number): number {
    const at = this.field(slot, 1);
    return at === 0 ? fallback : this.bb.readInt8(at);
  }

  ubyte(slot: number, fallback: number): number {
    const at = this.field(slot, 1);
    return at === 0 ? fallback : this.bb.readUint8(at);
  }

  bool(slot: number, fallback: boolean): boolean {
    const at = this.field(slot, 1);
    return at === 0 ? fallback : this.bb.readUint8(at) !== 0;
  }

  float(slot: number, fallback: number): number {
    const at = this.field(slot, 4);
    return at === 0 ? fallback : this.bb.readFloat32(at);
  }

  ulong(slot: number, fallback: number): number {
    const at = this.field(slot, 8);
    return at === 0 ? fallback : Number(this.bb.readUint64(at));
  }

  string(slot: number): string | undefined {
    const bytes = this.vector(slot, 1, "string");
    return bytes === undefined ? undefined : new TextDecoder().decode(this.bb.bytes().subarray(bytes.start, bytes.start + bytes.length));
  }

  table(slot: number, name: string): FlatTable | undefined {
    const at = this.field(slot, 4);
    if (at === 0) return undefined;
    return new FlatTable(this.bb, this.follow(at, name), `${this.path}.${name}`);
  }

  tables(slot: number, name: string): FlatTable[] {
    const vector = this.vector(slot, 4, name);
    if (vector === undefined) return [];
    return Array.from({ length: vector.length }, (_, i) => {
      const at = vector.start + i * 4;
      return new FlatTable(this.bb, this.follow(at, `${name}[${i}]`), `${this.path}.${name}[${i}]`);
    });
  }

  int32s(slot: number, name: string): number[] {
    const vector = this.vector(slot, 4, name);
    if (vector === undefined) return [];
    return Array.from({ length: vector.length }, (_, i) => this.bb.readInt32(vector.start + i * 4));
  }

  float32s(slot: number, name: string): number[] {
    const vector = this.vector(slot, 4, name);
    if (vector === undefined) return [];
    return Array.from({ length: vector.length }, (_, i) => this.bb.readFloat32(vector.start + i * 4));
  }

  int64s(slot: number, name: string): number[] {
    const vector = this.vector(slot, 8, name);
    if (vector === undefined) return [];
    return Array.from({ length: vector.length }, (_, i) => Number(this.bb.readInt64(vector.start + i * 8)));
  }

  /** A [ubyte] vector as a view into the file (no copy). */
  bytes(slot: number, name: string): Uint8Array | undefined {
    const vector = this.vector(slot, 1, name);
    return vector === undefined ? undefined : this.bb.bytes().subarray(vector.start, vector.start + vector.length);
  }

  /** Absolute position of a scalar field, or 0 when absent (the schema default applies). */
  private field(slot: number, size: number): number {
    const relative = this.bb.__offset(this.position, 4 + 2 * slot);
    if (relative === 0) return 0;
    const at = this.position + relative;
    checkRange(this.bb, at, size, `${this.path} field ${slot}`);
    return at;
  }

  private follow(at: number, name: string): number {
    const target = at + this.bb.readUint32(at);
    checkRange(this.bb, target, 4, `${this.path}.${name}`);
    return target;
  }

  private vector(slot: number, elementSize: number, name: string): { start: number; length: number } | undefined {
    const at = this.field(slot, SIZE_OF_UOFFSET);
    if (at === 0) return undefined;
    const header = this.follow(at, name);
    const length = this.bb.readUint32(header);
    const start = header + SIZE_OF_UOFFSET;
    checkRange(this.bb, start, length * elementSize, `${this.path}.${name} (${length} elements)`);
    return { start, length };
  }
}

function checkRange(bb: ByteBuffer, start: number, size: number, what: string): void {
  if (!Number.isInteger(start) || start < 0 || start + size > bb.capacity()) {
    throw new Error(`${what}: offset ${start} + ${size} bytes is outside the ${bb.capacity()}-byte file (corrupt or truncated)`);
  }
}
