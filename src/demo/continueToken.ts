// Continue tokens in the same encoding the etcd3 storage uses (storage/continue.go):
// base64url (no padding) of {"v":"meta.k8s.io/v1","rv":<list resourceVersion>,"start":"<next key>"}.
// The start key is relative to the list's key prefix and ends in "\u0000", i.e. "just after the last key returned".
// rv = -1 means "continue at the latest resourceVersion" (the token a 410 response carries).

export interface ContinueToken {
  rv: number;
  start: string;
}

export class InvalidContinueError extends Error {}

export function encodeContinue(lastKeyRelative: string, rv: number): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKeyRelative}\u0000` });
  return Buffer.from(json, 'utf8').toString('base64url');
}

export function encodeContinueAt(startKeyRelative: string, rv: number): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: startKeyRelative }), 'utf8').toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidContinueError('continue key is not valid: illegal base64 data or JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidContinueError('continue key is not valid: not an object');
  const t = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (t.v !== 'meta.k8s.io/v1') throw new InvalidContinueError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof t.rv !== 'number' || !Number.isInteger(t.rv) || t.rv === 0 || t.rv < -1) {
    throw new InvalidContinueError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof t.start !== 'string' || t.start.length === 0) throw new InvalidContinueError('continue key is not valid: encoded start key empty');
  // The real store refuses keys that would escape the list prefix.
  if (t.start.includes('..') || t.start.startsWith('/')) throw new InvalidContinueError('continue key is not valid: the encoded key is not a valid path');
  return { rv: t.rv, start: t.start };
}
