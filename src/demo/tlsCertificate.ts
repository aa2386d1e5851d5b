// The demo API server's TLS material, made at start with node:crypto alone: a CA and a serving
// certificate for 127.0.0.1 and localhost signed by it (ECDSA P-256, SHA-256), as kube-apiserver
// makes for itself without --tls-cert-file. Node can sign but has no X.509 writer, so the
// certificates are DER written here (RFC 5280: the fields and extensions client-go and OpenSSL
// check, nothing more). The CA's key is dropped once the serving certificate is signed; no key
// is ever part of the repository.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export interface DemoTlsMaterial {
  /** PEM of the CA the kubeconfig trusts (its certificate-authority-data). */
  caPem: string;
  /** PEM of the serving certificate followed by the CA (the chain the server presents). */
  certPem: string;
  /** PEM (PKCS#8) of the serving key. */
  keyPem: string;
}

// ---- DER ----

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : n < 0x10000 ? Buffer.from([0x82, n >> 8, n & 0xff]) : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

const seq = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const octets = (b: Buffer) => der(0x04, b);
const bits = (b: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), b]));
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean) => der(0x01, Buffer.from([v ? 0xff : 0]));
/** [n] EXPLICIT */
const explicit = (n: number, inner: Buffer) => der(0xa0 + n, inner);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const v of rest) {
    const septets = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) septets.unshift((x & 0x7f) | 0x80);
    out.push(...septets);
  }
  return der(0x06, Buffer.from(out));
}

/** A positive INTEGER from unsigned big-endian bytes. */
function uint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return der(0x02, v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

/** UTCTime (years before 2050, as RFC 5280 requires). */
function time(ms: number): Buffer {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  if (d.getUTCFullYear() >= 2050) throw new Error('the demo certificate would outlive UTCTime (2049)');
  return der(0x17, Buffer.from(`${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`, 'ascii'));
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** keyUsage bits, numbered as in RFC 5280 (0 digitalSignature, 5 keyCertSign, 6 cRLSign). */
function keyUsage(...bitNumbers: number[]): Buffer {
  let byte = 0;
  for (const n of bitNumbers) byte |= 0x80 >> n;
  const unused = 7 - Math.max(...bitNumbers);
  return der(0x03, Buffer.from([unused, byte]));
}

// ---- certificates ----

interface Subject {
  cn: string;
  key: KeyObject;
}

function keyId(publicKey: KeyObject): Buffer {
  // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes (the SPKI ends with them: 65 for P-256).
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

function certificate(subject: Subject, issuer: Subject & { privateKey: KeyObject }, notBefore: number, notAfter: number, extensions: Buffer[]): Buffer {
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = seq(
    explicit(0, der(0x02, Buffer.from([2]))), // v3
    uint(serial),
    ECDSA_SHA256,
    name(issuer.cn),
    seq(time(notBefore), time(notAfter)),
    name(subject.cn),
    subject.key.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  return seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, issuer.privateKey)));
}

const pem = (label: string, body: Buffer) => `-----BEGIN ${label}-----\n${body.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;

/** IPv4 dotted quad -> its 4 bytes. */
function ipv4(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

/**
 * A new CA and a serving certificate for `host` (an IPv4 address) and localhost, valid from an
 * hour ago (clocks differ a little) for `days` days.
 */
export function demoTlsMaterial(host = '127.0.0.1', days = 365, now = Date.now()): DemoTlsMaterial {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const notBefore = now - 3600_000;
  const notAfter = now + days * 86_400_000;
  const caCn = `warroom-demo-ca@${Math.floor(now / 1000)}`;
  const caId = keyId(ca.publicKey);
  const caCert = certificate({ cn: caCn, key: ca.publicKey }, { cn: caCn, key: ca.publicKey, privateKey: ca.privateKey }, notBefore, notAfter, [
    extension('2.5.29.15', true, keyUsage(0, 5, 6)),
    extension('2.5.29.19', true, seq(bool(true))),
    extension('2.5.29.14', false, octets(caId)),
  ]);
  const serving = certificate({ cn: `${host}@${Math.floor(now / 1000)}`, key: leaf.publicKey }, { cn: caCn, key: ca.publicKey, privateKey: ca.privateKey }, notBefore, notAfter, [
    extension('2.5.29.15', true, keyUsage(0)),
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
    extension('2.5.29.19', true, seq()),
    extension('2.5.29.35', false, seq(der(0x80, caId))), // authorityKeyIdentifier [0] keyIdentifier
    extension('2.5.29.17', false, seq(der(0x82, Buffer.from('localhost', 'ascii')), der(0x87, ipv4(host)))), // DNS:localhost, IP:host
  ]);
  const caPem = pem('CERTIFICATE', caCert);
  return {
    caPem,
    certPem: pem('CERTIFICATE', serving) + caPem,
    keyPem: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
