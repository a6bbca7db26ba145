// The write floor (ECDSA): the floor with one exportKey("jwk") per key, plus the least any program
// must do to turn that into files — the key file (SEC1 DER from the JWK, PEM) and a certificate
// (a TBSCertificate carrying the key, its own serial, signed; DER; PEM). Every TBSCertificate is
// one template built before the clock starts, with only the serial and the public key written
// into it: no names, no SANs, no planning, no checks, and Node's native base64 (Buffer). A real
// program does all of this and more, so this is a lower bound for any WebCrypto program on
// Node that writes a cluster's keys and certificates, not a contender to beat.
// Usage: node floor-write.mjs --workload FILE.json [--concurrency C]   (ECDSA-P256 workloads)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { childArgs, createLimiter, loadWorkload, report } from "../lib/child.mjs";

const args = childArgs();
const { workload, keyParams, signParams, concurrency } = loadWorkload(args);
if (keyParams.namedCurve !== "P-256") throw new Error("floor-write.mjs: ECDSA-P256 workloads only");

// DER, just enough for the template (lengths below 65536).
const bytes = (...parts) => Uint8Array.from(parts.flatMap((part) => (typeof part === "number" ? [part] : [...part])));
const length = (n) => (n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 255]);
const tlv = (tag, ...content) => {
  const body = bytes(...content);
  return bytes(tag, ...length(body.length), body);
};
const oid = (...der) => tlv(0x06, ...der);
const text = (tag, value) => tlv(tag, ...new TextEncoder().encode(value));
const OID_EC_PUBLIC_KEY = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256 = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const ECDSA_WITH_SHA256 = tlv(0x30, oid(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02));
const name = (...rdns) =>
  tlv(0x30, ...rdns.map(([type, value]) => tlv(0x31, tlv(0x30, oid(...type), text(0x0c, value)))));
const CN = [0x55, 0x04, 0x03];
const O = [0x55, 0x04, 0x0a];
const extension = (id, critical, value) =>
  tlv(0x30, oid(...id), ...(critical ? [tlv(0x01, 0xff)] : []), tlv(0x04, value));

// A kubelet serving certificate of this workload, ~the size of the floor's 550-byte buffer.
const SERIAL_LENGTH = 16;
const serialField = tlv(0x02, new Uint8Array(SERIAL_LENGTH).fill(0x11));
const spkiPrefix = tlv(0x30, oid(...OID_EC_PUBLIC_KEY), oid(...OID_P256));
const spki = tlv(0x30, spkiPrefix, tlv(0x03, 0x00, 0x04, new Uint8Array(64)));
const tbs = tlv(
  0x30,
  tlv(0xa0, tlv(0x02, 0x02)),
  serialField,
  ECDSA_WITH_SHA256,
  name([CN, "kubernetes"]),
  tlv(0x30, text(0x17, "261129000000Z"), text(0x17, "271129000000Z")),
  name([O, "system:nodes"], [CN, "system:node:worker-1000"]),
  spki,
  tlv(
    0xa3,
    tlv(
      0x30,
      extension([0x55, 0x1d, 0x0f], true, tlv(0x03, 0x05, 0xa0)),
      extension([0x55, 0x1d, 0x25], false, tlv(0x30, oid(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01))),
      extension([0x55, 0x1d, 0x13], true, tlv(0x30)),
      extension([0x55, 0x1d, 0x23], false, tlv(0x30, tlv(0x80, new Uint8Array(20).fill(0x22)))),
      extension(
        [0x55, 0x1d, 0x11],
        false,
        tlv(0x30, text(0x82, "worker-1000"), text(0x82, "worker-1000.nodes.cluster.example"), tlv(0x87, 10, 0, 3, 232)),
      ),
    ),
  ),
);
const find = (haystack, needle) => {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error("floor-write.mjs: template field not found");
};
const serialAt = find(tbs, serialField) + 2;
const pointAt = find(tbs, spki) + spki.length - 64;
// SEC1 ECPrivateKey as kubeadm writes it, d and the point written in per key.
const sec1 = tlv(
  0x30,
  tlv(0x02, 0x01),
  tlv(0x04, new Uint8Array(32)),
  tlv(0xa0, oid(...OID_P256)),
  tlv(0xa1, tlv(0x03, 0x00, 0x04, new Uint8Array(64))),
);
const dAt = 7;
const keyPointAt = sec1.length - 64;

const pem = (label, der) => {
  const body = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("base64");
  let lines = "";
  for (let i = 0; i < body.length; i += 64) lines += `${body.slice(i, i + 64)}\n`;
  return `-----BEGIN ${label}-----\n${lines}-----END ${label}-----\n`;
};
const fromB64Url = (value) => Buffer.from(value, "base64url");

/**
 * The Certificate DER: SEQUENCE { tbs, ecdsa-with-SHA256, BIT STRING { ECDSA-Sig-Value } }, the
 * signature turned from IEEE P1363 r‖s into DER INTEGERs, written into one array.
 */
const certificateDer = (tbsDer, raw) => {
  const start = (at) => {
    let i = at;
    while (i < at + 31 && raw[i] === 0) i++;
    return i;
  };
  const rAt = start(0);
  const sAt = start(32);
  const rPad = raw[rAt] & 0x80 ? 1 : 0;
  const sPad = raw[sAt] & 0x80 ? 1 : 0;
  const rLength = 32 - rAt + rPad;
  const sLength = 64 - sAt + sPad;
  const sigLength = 4 + rLength + sLength; // < 128
  const bitLength = 1 + 2 + sigLength;
  const bodyLength = tbsDer.length + ECDSA_WITH_SHA256.length + 2 + bitLength;
  const out = new Uint8Array(4 + bodyLength);
  out[0] = 0x30;
  out[1] = 0x82;
  out[2] = bodyLength >> 8;
  out[3] = bodyLength & 255;
  out.set(tbsDer, 4);
  let o = 4 + tbsDer.length;
  out.set(ECDSA_WITH_SHA256, o);
  o += ECDSA_WITH_SHA256.length;
  out[o++] = 0x03;
  out[o++] = bitLength;
  out[o++] = 0;
  out[o++] = 0x30;
  out[o++] = 2 + rLength + 2 + sLength;
  out[o++] = 0x02;
  out[o++] = rLength;
  if (rPad) out[o++] = 0;
  out.set(raw.subarray(rAt, 32), o);
  o += 32 - rAt;
  out[o++] = 0x02;
  out[o++] = sLength;
  if (sPad) out[o++] = 0;
  out.set(raw.subarray(sAt, 64), o);
  return out;
};

await report(async () => {
  const limit = createLimiter(concurrency);
  const random = new Uint8Array(SERIAL_LENGTH * (workload.certificates.length + 1));
  for (let i = 0; i < random.length; i += 65536) crypto.getRandomValues(random.subarray(i, i + 65536));
  const newKey = () =>
    limit(async () => {
      const keys = await crypto.subtle.generateKey(keyParams, true, ["sign", "verify"]);
      const jwk = await crypto.subtle.exportKey("jwk", keys.privateKey);
      const x = fromB64Url(jwk.x);
      const y = fromB64Url(jwk.y);
      const keyDer = sec1.slice();
      keyDer.set(fromB64Url(jwk.d), dAt);
      keyDer.set(x, keyPointAt);
      keyDer.set(y, keyPointAt + 32);
      return { keys, x, y, keyPem: pem("EC PRIVATE KEY", keyDer) };
    });
  const caKeys = new Map();
  const made = workload.certificates.map(async (spec, index) => {
    const key = newKey();
    if (spec.isCa) caKeys.set(spec.id, key);
    const signer = spec.signer === "self" ? await key : await caKeys.get(spec.signer);
    const { x, y, keyPem } = await key;
    const tbsDer = tbs.slice();
    tbsDer.set(random.subarray(index * SERIAL_LENGTH, (index + 1) * SERIAL_LENGTH), serialAt);
    tbsDer[serialAt] = (tbsDer[serialAt] & 0x7f) | 0x40; // positive and minimal: a DER INTEGER
    tbsDer.set(x, pointAt);
    tbsDer.set(y, pointAt + 32);
    const signature = new Uint8Array(await crypto.subtle.sign(signParams, signer.keys.privateKey, tbsDer));
    return { keyPem, certificatePem: pem("CERTIFICATE", certificateDer(tbsDer, signature)) };
  });
  const files = await Promise.all([...made, newKey()]);
  if (args.check) writeCheckFiles(args.check, files);
  return { certificates: made.length, keys: made.length + 1, concurrency };
});

/** With --check DIR: the first CA and the last leaf with its key, for openssl (tests only). */
function writeCheckFiles(dir, files) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "ca.crt"), files[0].certificatePem);
  writeFileSync(join(dir, "leaf.crt"), files.at(-2).certificatePem);
  writeFileSync(join(dir, "leaf.key"), files.at(-2).keyPem);
}
