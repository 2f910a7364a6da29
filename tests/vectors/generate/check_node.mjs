#!/usr/bin/env node
// Second, non-Python re-check of every vector file with node:crypto only (run after lint.py):
//  - aes256-gcm / client-side / fernet tests with result "valid": decrypt to plaintextHex, done the
//    way Port's docs do it (Buffer.from(value, "base64"), createDecipheriv, privateDecrypt oaepHash sha256)
//  - signature tests: the expected "v1," entry is among the header's entries exactly when the test is
//    valid or "expired"; and for those, |now - timestamp| > tolerance exactly when "expired".
//  - properties tests with result "valid": every output value that differs from its input is the
//    node:crypto decryption of that input (aes256-gcm, client-side or fernet, whichever opens it),
//    as text or, for an input of type "object", as JSON.parse of that text.
// Invalid aes/client-side/fernet tests are not re-checked here (Node's lenient base64 decoding would
// blur the codes); lint.py checks them all with reference.py. Exits 1 on any mismatch.
import nodeCrypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const VEC_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const KEY_DIR = path.join(VEC_DIR, "keys");
const keyCache = new Map();
const privateKey = (name) => {
  if (!keyCache.has(name)) keyCache.set(name, nodeCrypto.createPrivateKey(fs.readFileSync(path.join(KEY_DIR, name))));
  return keyCache.get(name);
};

function gcm(key, iv, body) {
  const d = nodeCrypto.createDecipheriv("aes-256-gcm", key, iv);
  d.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([d.update(body.subarray(0, body.length - 16)), d.final()]);
}

function open(format, t) {
  if (format === "aes256-gcm") {
    const raw = Buffer.from(t.value, "base64");
    return gcm(Buffer.from(t.clientSecret, "utf8").subarray(0, 32), raw.subarray(0, 16), raw.subarray(16));
  }
  if (format === "client-side") {
    const key = privateKey(t.privateKey);
    const k = key.asymmetricKeyDetails.modulusLength / 8;
    const raw = Buffer.from(t.value, "base64");
    const aesKey = nodeCrypto.privateDecrypt(
      { key, padding: nodeCrypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, raw.subarray(12, 12 + k));
    return gcm(aesKey, raw.subarray(0, 12), raw.subarray(12 + k));
  }
  if (format === "fernet") {
    const key = Buffer.from(t.clientSecret, "utf8").subarray(0, 32);
    const raw = Buffer.from(t.token, "base64url");
    const mac = nodeCrypto.createHmac("sha256", key.subarray(0, 16)).update(raw.subarray(0, raw.length - 32)).digest();
    if (raw[0] !== 0x80 || !nodeCrypto.timingSafeEqual(mac, raw.subarray(raw.length - 32))) throw new Error("bad token");
    const ts = raw.readBigUInt64BE(1);
    if (t.ttl !== undefined && (ts + BigInt(t.ttl) < BigInt(t.now) || ts > BigInt(t.now) + 60n)) throw new Error("expired");
    const d = nodeCrypto.createDecipheriv("aes-128-cbc", key.subarray(16), raw.subarray(9, 25));
    return Buffer.concat([d.update(raw.subarray(25, raw.length - 32)), d.final()]);
  }
  throw new Error(format);
}

/** The text of a properties test's encrypted value, by whichever format opens it with node:crypto. */
function openAny(t, value) {
  for (const format of ["aes256-gcm", "fernet", "client-side"]) {
    if (format === "client-side" && !t.privateKey) continue;
    try {
      const plain = open(format, { ...t, value, token: value });
      return new TextDecoder("utf-8", { fatal: true }).decode(plain);
    } catch {
      // not this format
    }
  }
  throw new Error("no format opens the value");
}

const problems = [];
let checked = 0;
{
  const file = path.join(VEC_DIR, "properties", "properties_invalid_test.json");
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const t of doc.tests) {
    if (t.result !== "valid") continue;
    const where = `properties tcId ${t.tcId}`;
    for (const [name, out] of Object.entries(t.expected)) {
      const input = t.properties[name];
      if (JSON.stringify(out) === JSON.stringify(input)) continue;
      try {
        const text = openAny(t, input);
        const inner = t.userInputs.properties;
        const def = (inner && typeof inner === "object" && inner[name]) || t.userInputs[name];
        const got = def.type === "object" ? JSON.parse(text) : text;
        if (JSON.stringify(got) !== JSON.stringify(out)) problems.push(`${where}: input ${JSON.stringify(name)} decrypts to other data`);
      } catch (e) {
        problems.push(`${where}: input ${JSON.stringify(name)}: ${e.message}`);
      }
    }
    checked++;
  }
}
for (const dir of ["aes256_gcm", "client_side", "fernet", "signature"]) {
  for (const f of fs.readdirSync(path.join(VEC_DIR, dir)).filter((n) => n.endsWith("_test.json")).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(VEC_DIR, dir, f), "utf8"));
    for (const t of doc.tests) {
      const where = `${dir}/${f} tcId ${t.tcId}`;
      if (doc.format === "signature") {
        const mac = nodeCrypto.createHmac("sha256", Buffer.from(t.clientSecret, "utf8"))
          .update(Buffer.from(`${t.timestamp}.${t.body}`, "utf8")).digest("base64");
        const matches = t.signature.split(" ").includes("v1," + mac);
        const stale = Math.abs(t.now - Number(t.timestamp)) > t.tolerance;
        const want = t.result === "valid" || t.error === "expired";
        if (matches !== want) problems.push(`${where}: signature match ${matches}, expected ${want}`);
        else if (want && stale !== (t.error === "expired")) problems.push(`${where}: time window disagrees`);
        checked++;
        continue;
      }
      if (t.result !== "valid") continue;
      try {
        const out = open(doc.format, t);
        if (out.toString("hex") !== t.plaintextHex) problems.push(`${where}: other plaintext`);
      } catch (e) {
        problems.push(`${where}: ${e.message}`);
      }
      checked++;
    }
  }
}
if (problems.length) {
  for (const p of problems) console.error("CHECK_NODE: " + p);
  console.error(`check_node: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`check_node: OK, ${checked} tests re-checked with node:crypto (${process.version})`);
