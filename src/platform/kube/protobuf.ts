// A minimal reader of the Kubernetes protobuf encoding (`Accept: application/vnd.kubernetes.protobuf`):
// the `k8s\0` magic, the runtime.Unknown envelope (k8s.io/apimachinery/pkg/runtime/generated.proto) and the
// protobuf wire format (varints and length-delimited fields). Readers walk a message field by field and
// skip what they do not need by its length, without decoding it (e.g. managedFields, most of a pod's bytes).

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Wire types of the protobuf encoding. */
export const VARINT = 0;
export const FIXED64 = 1;
export const BYTES = 2;
export const FIXED32 = 5;

export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

/** A view of `buf[start, end)` read field by field. */
export class ProtoReader {
  pos: number;
  /** Field number and wire type of the field `next()` stopped at. */
  field = 0;
  wire = 0;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  /** Moves to the next field's value; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const key = this.varint();
    this.field = Math.floor(key / 8);
    this.wire = key & 7;
    return true;
  }

  varint(): number {
    const buf = this.buf;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('varint runs past the end of its message');
      const b = buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  /** An int32/int64 field: negative values are sent as 10-byte two's complement varints. */
  int(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw new ProtobufError('varint runs past the end of its message');
      const b = buf[this.pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      if (b < 0x80) return (hi | 0) * 2 ** 32 + (lo >>> 0);
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  /** The bounds of a length-delimited value, the reader moved past it. */
  bytes(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw new ProtobufError('length-delimited field runs past the end of its message');
    this.pos = end;
    return [start, end];
  }

  string(): string {
    const [start, end] = this.bytes();
    return this.buf.toString('utf8', start, end);
  }

  /** A reader of the embedded message at this field. */
  message(): ProtoReader {
    const [start, end] = this.bytes();
    return new ProtoReader(this.buf, start, end);
  }

  /** Skips the value of the current field. */
  skip(): void {
    switch (this.wire) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
        this.pos += 8;
        break;
      case BYTES:
        this.bytes();
        return;
      case FIXED32:
        this.pos += 4;
        break;
      default:
        throw new ProtobufError(`unsupported wire type ${this.wire}`);
    }
    if (this.pos > this.end) throw new ProtobufError('fixed-size field runs past the end of its message');
  }
}

/** The string fields `fields` of a message, in that order ('' when absent); other fields skipped. */
export function readStrings(r: ProtoReader, ...fields: number[]): string[] {
  const out = fields.map(() => '');
  while (r.next()) {
    const i = r.wire === BYTES ? fields.indexOf(r.field) : -1;
    if (i >= 0) out[i] = r.string();
    else r.skip();
  }
  return out;
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

export interface Unknown {
  apiVersion: string;
  kind: string;
  /** The encoded object (e.g. a PodList message). */
  raw: ProtoReader;
}

/** Unwraps `k8s\0` + runtime.Unknown{typeMeta=1{apiVersion=1, kind=2}, raw=2, contentEncoding=3, contentType=4}. */
export function readEnvelope(buf: Buffer): Unknown {
  if (buf.length < 4 || MAGIC.some((b, i) => buf[i] !== b)) throw new ProtobufError('not a Kubernetes protobuf message (no k8s magic)');
  const r = new ProtoReader(buf, 4);
  let apiVersion = '';
  let kind = '';
  let raw: ProtoReader | undefined;
  while (r.next()) {
    if (r.field === 1 && r.wire === BYTES) [apiVersion, kind] = readStrings(r.message(), 1, 2);
    else if (r.field === 2 && r.wire === BYTES) raw = r.message();
    else if (r.field === 3 && r.wire === BYTES) {
      const encoding = r.string();
      if (encoding) throw new ProtobufError(`unsupported content encoding ${encoding}`);
    } else r.skip();
  }
  return { apiVersion, kind, raw: raw ?? new ProtoReader(buf, buf.length) };
}

/** meta/v1 ListMeta: resourceVersion=2, continue=3, remainingItemCount=4. */
export interface ListMeta {
  resourceVersion: string;
  continue: string;
  remainingItemCount?: number;
}

/** A list page read from protobuf straight into rows. */
export interface ListPage<Row> extends ListMeta {
  rows: Row[];
  /** Items in the page, mapped to a row or not. */
  items: number;
}

export function readListMeta(r: ProtoReader): ListMeta {
  const meta: ListMeta = { resourceVersion: '', continue: '' };
  while (r.next()) {
    if (r.field === 2 && r.wire === BYTES) meta.resourceVersion = r.string();
    else if (r.field === 3 && r.wire === BYTES) meta.continue = r.string();
    else if (r.field === 4 && r.wire === VARINT) meta.remainingItemCount = r.int();
    else r.skip();
  }
  return meta;
}

/** meta/v1 Time {seconds=1, nanos=2} as epoch ms (the JSON form has second precision). */
export function readTimeMs(r: ProtoReader): number {
  let seconds = 0;
  while (r.next()) {
    if (r.field === 1 && r.wire === VARINT) seconds = r.int();
    else r.skip();
  }
  return seconds * 1000;
}

/**
 * An error answer in protobuf: meta/v1 Status {status=2, message=3, reason=4, code=6} inside the envelope,
 * in the shape of the JSON Status; undefined when the body is not one.
 */
export function readStatus(buf: Buffer): { kind: 'Status'; status: string; message: string; reason: string; code: number } | undefined {
  try {
    const env = readEnvelope(buf);
    if (env.kind !== 'Status') return undefined;
    const st = { kind: 'Status' as const, status: '', message: '', reason: '', code: 0 };
    const r = env.raw;
    while (r.next()) {
      if (r.field === 2 && r.wire === BYTES) st.status = r.string();
      else if (r.field === 3 && r.wire === BYTES) st.message = r.string();
      else if (r.field === 4 && r.wire === BYTES) st.reason = r.string();
      else if (r.field === 6 && r.wire === VARINT) st.code = r.int();
      else r.skip();
    }
    return st;
  } catch {
    return undefined;
  }
}
