// Request bodies in Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf), which
// client-go's typed clients send by default for built-in kinds (Request.UseProtobufAsDefault):
// k9s checks every view's access with a SelfSubjectAccessReview posted this way. The demo reads
// the one kind it is sent like that (its answers stay JSON, which such clients also accept), with
// the console's own protobuf reader.
import { BYTES, ProtobufError, readEnvelope, readStrings, type ProtoReader } from '../platform/kube/protobuf.js';
import { errors } from './apiErrors.js';

export { PROTOBUF } from '../platform/kube/protobuf.js';

/** The embedded messages at `fields` of `r` (the last of each, as protobuf merges), in that order. */
function messages(r: ProtoReader, ...fields: number[]): Array<ProtoReader | undefined> {
  const out: Array<ProtoReader | undefined> = fields.map(() => undefined);
  while (r.next()) {
    const i = r.wire === BYTES ? fields.indexOf(r.field) : -1;
    if (i >= 0) out[i] = r.message();
    else r.skip();
  }
  return out;
}

function named(values: string[], names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n, i) => [n, values[i]]).filter(([, v]) => v !== ''));
}

/**
 * The spec of a protobuf SelfSubjectAccessReview, as its JSON form (authorization/v1
 * generated.proto: spec 2 {resourceAttributes 1 {namespace 1, verb 2, group 3, version 4,
 * resource 5, subresource 6, name 7}, nonResourceAttributes 2 {path 1, verb 2}}).
 */
export function protobufReviewSpec(body: Buffer): Record<string, unknown> {
  try {
    const { kind, raw } = readEnvelope(body);
    if (kind !== 'SelfSubjectAccessReview') throw errors.badRequest(`the body holds a ${kind || 'message of no kind'}, not a SelfSubjectAccessReview`);
    const [spec] = messages(raw, 2);
    const [ra, nra] = spec ? messages(spec, 1, 2) : [];
    return {
      ...(ra && { resourceAttributes: named(readStrings(ra, 1, 2, 3, 4, 5, 6, 7), ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']) }),
      ...(nra && { nonResourceAttributes: named(readStrings(nra, 1, 2), ['path', 'verb']) }),
    };
  } catch (err) {
    if (err instanceof ProtobufError) throw errors.badRequest(`error decoding from protobuf: ${err.message}`);
    throw err;
  }
}
