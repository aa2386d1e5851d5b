// Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf), which
// client-go's typed clients send by default for built-in kinds (Request.UseProtobufAsDefault):
// k9s checks every view's access with a SelfSubjectAccessReview posted this way. The demo reads
// the one kind it is sent like that (its answers stay JSON, which such clients also accept).
// Wire format: the 4 bytes "k8s\0", then a runtime.Unknown {typeMeta 1 {apiVersion 1, kind 2},
// raw 2, contentEncoding 3, contentType 4} whose raw holds the object's own message.
import { errors } from './apiErrors.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from('k8s\0', 'latin1');

/** A message's length-delimited fields by number (the last of each wins, as protobuf merges scalars). */
function fields(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (i >= buf.length || shift > 49) throw errors.badRequest('error decoding from protobuf: truncated varint');
      const b = buf[i++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const wire = key % 8;
    const field = Math.floor(key / 8);
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const len = varint();
      if (i + len > buf.length) throw errors.badRequest('error decoding from protobuf: truncated field');
      out.set(field, buf.subarray(i, i + len));
      i += len;
    } else throw errors.badRequest(`error decoding from protobuf: wire type ${wire}`);
  }
  if (i > buf.length) throw errors.badRequest('error decoding from protobuf: truncated field');
  return out;
}

/** The object inside the envelope, with its apiVersion and kind. */
export function unwrapProtobuf(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw errors.badRequest('error decoding from protobuf: no "k8s\\0" prefix');
  const unknown = fields(body.subarray(MAGIC.length));
  const typeMeta = fields(unknown.get(1) ?? Buffer.alloc(0));
  return { apiVersion: typeMeta.get(1)?.toString('utf8') ?? '', kind: typeMeta.get(2)?.toString('utf8') ?? '', raw: unknown.get(2) ?? Buffer.alloc(0) };
}

function strings(msg: Buffer | undefined, names: Record<number, string>): Record<string, string> | undefined {
  if (!msg) return undefined;
  const f = fields(msg);
  const out: Record<string, string> = {};
  for (const [n, name] of Object.entries(names)) {
    const v = f.get(Number(n));
    if (v) out[name] = v.toString('utf8');
  }
  return out;
}

/** A SelfSubjectAccessReview's spec as its JSON form (authorization/v1 generated.proto field numbers). */
export function selfSubjectAccessReviewSpec(raw: Buffer): Record<string, unknown> {
  const spec = fields(fields(raw).get(2) ?? Buffer.alloc(0));
  const resourceAttributes = strings(spec.get(1), { 1: 'namespace', 2: 'verb', 3: 'group', 4: 'version', 5: 'resource', 6: 'subresource', 7: 'name' });
  const nonResourceAttributes = strings(spec.get(2), { 1: 'path', 2: 'verb' });
  return { ...(resourceAttributes && { resourceAttributes }), ...(nonResourceAttributes && { nonResourceAttributes }) };
}
