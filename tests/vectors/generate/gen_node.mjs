#!/usr/bin/env node
// Valid vectors made with Node's built-ins only:
//  - node:crypto aes256-gcm (16-byte IV), verified with WebCrypto (crypto.subtle AES-GCM decrypt)
//  - node:crypto client-side (publicEncrypt, oaepHash sha256), verified with WebCrypto (RSA-OAEP + AES-GCM)
//  - WebCrypto client-side, made exactly as Port's browser does, verified with node:crypto
//    (privateDecrypt with oaepHash sha256 + createDecipheriv aes-256-gcm)
// Output: canonical JSON = JSON.stringify(doc, null, 1) + "\n" (same bytes as the Python generators).
import nodeCrypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const GEN_DIR = path.dirname(fileURLToPath(import.meta.url));
const VEC_DIR = path.dirname(GEN_DIR);
const KEY_DIR = path.join(VEC_DIR, "keys");
const subtle = globalThis.crypto.subtle;
const GEN = "gen_node.mjs";
const NODE = `node:crypto (Node ${process.version}, OpenSSL ${process.versions.openssl})`;
const WEBCRYPTO = `WebCrypto globalThis.crypto.subtle (Node ${process.version}, OpenSSL ${process.versions.openssl})`;

const inputs = JSON.parse(fs.readFileSync(path.join(GEN_DIR, "inputs.json"), "utf8"));
const SECRETS = Object.fromEntries(Object.entries(inputs.clientSecrets).map(([k, v]) => [k, v.value]));
const PLAINTEXTS = inputs.plaintexts.map((p) => ({
  name: p.name,
  flags: p.flags,
  data: "hex" in p ? Buffer.from(p.hex, "hex") : Buffer.from(p.text, "utf8"),
}));
const PT = Object.fromEntries(PLAINTEXTS.map((p) => [p.name, p]));
const FIELD_ORDER = ["tcId", "comment", "flags", "result", "clientSecret", "privateKey", "publicKey", "value",
  "token", "ttl", "now", "body", "timestamp", "signature", "tolerance", "plaintextHex", "plaintext", "error"];

const failures = [];
function check(cond, what) {
  if (!cond) {
    failures.push(what);
    console.error(`SELF-CHECK FAILED [gen_node]: ${what}`);
  }
}

const readKey = (name) => fs.readFileSync(path.join(KEY_DIR, name), "utf8");
const utf8 = new TextDecoder("utf-8", { fatal: true });

function makeTest(comment, flags, inputs_, data) {
  const t = { comment, flags, result: "valid", ...inputs_, plaintextHex: data.toString("hex") };
  try {
    t.plaintext = utf8.decode(data);
  } catch {
    t.error = "invalid_utf8";
  }
  return t;
}

function writeVectors(rel, format, source, verifiedBy, notes, tests) {
  const used = [...new Set(tests.flatMap((t) => t.flags))].sort();
  const missing = used.filter((f) => !(f in notes));
  if (missing.length) throw new Error(`flags without a note: ${missing}`);
  const doc = {
    schema: "port-secret-vectors/v1",
    format,
    source,
    generator: "tests/vectors/generate/" + GEN,
    verifiedBy,
    numberOfTests: tests.length,
    notes: Object.fromEntries(used.map((f) => [f, notes[f]])),
    tests: tests.map((t, i) => {
      const full = { ...t, tcId: i + 1 };
      const out = {};
      for (const k of FIELD_ORDER) if (k in full) out[k] = full[k];
      if (Object.keys(out).length !== Object.keys(full).length) throw new Error("unknown test field");
      return out;
    }),
  };
  const p = path.join(VEC_DIR, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, JSON.stringify(doc, null, 1) + "\n", "utf8");
  return tests.length;
}

const KEY_NOTES = {
  Rsa2048: "RSA 2048-bit key: wrapped key is 256 bytes",
  Rsa3072: "RSA 3072-bit key: wrapped key is 384 bytes",
  Rsa4096: "RSA 4096-bit key: wrapped key is 512 bytes",
  Pkcs1: "private key file in PKCS#1 (BEGIN RSA PRIVATE KEY)",
  SecondKey: "made for rsa2048b (the second 2048-bit key; rotation: a Decryptor holding rsa2048 and rsa2048b must decrypt it)",
};

// ------------------------------------------------------------------ aes256-gcm (node:crypto)
async function genAes() {
  const tests = [];
  const add = async (comment, flags, secretName, data) => {
    const secret = SECRETS[secretName];
    const key = Buffer.from(secret, "utf8").subarray(0, 32);
    const iv = nodeCrypto.randomBytes(16);
    const c = nodeCrypto.createCipheriv("aes-256-gcm", key, iv);
    const ct = Buffer.concat([c.update(data), c.final()]);
    const value = Buffer.concat([iv, ct, c.getAuthTag()]).toString("base64");
    // verify with WebCrypto
    const raw = Buffer.from(value, "base64");
    let out = null;
    try {
      const k = await subtle.importKey("raw", key, { name: "AES-GCM" }, false, ["decrypt"]);
      out = Buffer.from(await subtle.decrypt({ name: "AES-GCM", iv: raw.subarray(0, 16), tagLength: 128 }, k, raw.subarray(16)));
    } catch (e) {
      out = null;
    }
    check(out !== null && out.equals(data), "WebCrypto AES-GCM decrypt: " + comment);
    tests.push(makeTest(comment, flags, { clientSecret: secret, value }, data));
  };
  for (const p of PLAINTEXTS) await add(`plaintext ${p.name}, 64-character secret`, p.flags, "port64", p.data);
  for (const n of ["empty", "ascii31", "unicode", "bin_truncated_e282"])
    await add(`plaintext ${n}, secret of exactly 32 bytes`, ["Secret32Bytes", ...PT[n].flags], "exact32", PT[n].data);
  await add("secret with non-ASCII characters after byte 32", ["SecretNonAsciiTail", ...PT.json_object.flags], "nonAsciiTail", PT.json_object.data);
  const notes = {
    ...inputs.plaintextFlags,
    Secret32Bytes: "client secret of exactly 32 bytes (the whole secret is the key)",
    SecretNonAsciiTail: "client secret with multi-byte UTF-8 characters after byte 32 (they are not part of the key)",
  };
  return writeVectors("aes256_gcm/aes256_gcm_node_test.json", "aes256-gcm",
    NODE + " createCipheriv('aes-256-gcm', key, iv16)",
    [WEBCRYPTO + " AES-GCM decrypt with the 16-byte IV"], notes, tests);
}

// ------------------------------------------------------------------ client-side helpers
function nodeOpen(value, privateFile, data) {
  const priv = nodeCrypto.createPrivateKey(readKey(privateFile));
  const k = priv.asymmetricKeyDetails.modulusLength / 8;
  const raw = Buffer.from(value, "base64");
  try {
    const aesKey = nodeCrypto.privateDecrypt(
      { key: priv, padding: nodeCrypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      raw.subarray(12, 12 + k));
    const d = nodeCrypto.createDecipheriv("aes-256-gcm", aesKey, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12 + k, raw.length - 16)), d.final()]).equals(data);
  } catch {
    return false;
  }
}

async function webcryptoOpen(value, privateFile, data) {
  const der = nodeCrypto.createPrivateKey(readKey(privateFile)).export({ type: "pkcs8", format: "der" });
  try {
    const priv = await subtle.importKey("pkcs8", der, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["decrypt"]);
    const k = priv.algorithm.modulusLength / 8;
    const raw = Buffer.from(value, "base64");
    const rawKey = await subtle.decrypt({ name: "RSA-OAEP" }, priv, raw.subarray(12, 12 + k));
    const aes = await subtle.importKey("raw", rawKey, { name: "AES-GCM" }, false, ["decrypt"]);
    const out = Buffer.from(await subtle.decrypt({ name: "AES-GCM", iv: raw.subarray(0, 12) }, aes, raw.subarray(12 + k)));
    return out.equals(data);
  } catch {
    return false;
  }
}

function nodeSeal(publicPem, data) {
  const aesKey = nodeCrypto.randomBytes(32);
  const iv = nodeCrypto.randomBytes(12);
  const wrapped = nodeCrypto.publicEncrypt(
    { key: publicPem, padding: nodeCrypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, aesKey);
  const c = nodeCrypto.createCipheriv("aes-256-gcm", aesKey, iv);
  const ct = Buffer.concat([c.update(data), c.final()]);
  return Buffer.concat([iv, wrapped, ct, c.getAuthTag()]).toString("base64");
}

// Exactly the browser's steps (Port's UI): fresh extractable AES-GCM 256 key, 12-byte random IV,
// encrypt, export the raw key, import the SPKI public key as RSA-OAEP SHA-256, wrap, concatenate, base64.
async function webcryptoSeal(publicPem, data) {
  const aesKey = await subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv }, aesKey, data));
  const rawKey = await subtle.exportKey("raw", aesKey);
  const b64 = publicPem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, "");
  const spki = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  const pub = await subtle.importKey("spki", spki, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"]);
  const wrapped = new Uint8Array(await subtle.encrypt({ name: "RSA-OAEP" }, pub, rawKey));
  const all = new Uint8Array(iv.length + wrapped.length + ct.length);
  all.set(iv, 0);
  all.set(wrapped, iv.length);
  all.set(ct, iv.length + wrapped.length);
  // btoa over a binary string, as a browser would
  let bin = "";
  for (const b of all) bin += String.fromCharCode(b);
  return btoa(bin);
}

async function genClientSide(kind) {
  const tests = [];
  const add = async (comment, flags, kid, privateFile, data) => {
    const publicFile = kid + "_public.pem";
    const pem = readKey(publicFile);
    let value;
    if (kind === "node") {
      value = nodeSeal(pem, data);
      check(await webcryptoOpen(value, privateFile, data), "WebCrypto decrypt: " + comment);
    } else {
      value = await webcryptoSeal(pem, data);
      check(nodeOpen(value, privateFile, data), "node:crypto privateDecrypt: " + comment);
    }
    tests.push(makeTest(comment, flags, { privateKey: privateFile, publicKey: publicFile, value }, data));
  };
  for (const p of PLAINTEXTS) await add(`RSA 2048 (PKCS#8), plaintext ${p.name}`, ["Rsa2048", ...p.flags], "rsa2048", "rsa2048_pkcs8.pem", p.data);
  for (const n of ["ascii", "multiline_lf", "bin_ascii_then_80"])
    await add(`RSA 2048 (PKCS#1 private key), plaintext ${n}`, ["Rsa2048", "Pkcs1", ...PT[n].flags], "rsa2048", "rsa2048_pkcs1.pem", PT[n].data);
  await add("second RSA 2048 key (rsa2048b)", ["Rsa2048", "SecondKey", ...PT.json_object.flags], "rsa2048b", "rsa2048b_pkcs8.pem", PT.json_object.data);
  for (const bits of [3072, 4096]) {
    const kid = `rsa${bits}`;
    for (const n of ["empty", "a", "ascii32", "long1027", "multiline_crlf", "unicode", "json_object", "nul_inside", "bin_above_max_f4908080"])
      await add(`RSA ${bits} (PKCS#8), plaintext ${n}`, [`Rsa${bits}`, ...PT[n].flags], kid, `${kid}_pkcs8.pem`, PT[n].data);
    await add(`RSA ${bits} (PKCS#1 private key), plaintext ascii`, [`Rsa${bits}`, "Pkcs1", ...PT.ascii.flags], kid, `${kid}_pkcs1.pem`, PT.ascii.data);
  }
  const notes = { ...inputs.plaintextFlags, ...KEY_NOTES };
  if (kind === "node") {
    return writeVectors("client_side/client_side_node_test.json", "client-side",
      NODE + " publicEncrypt(RSA_PKCS1_OAEP_PADDING, oaepHash sha256) + createCipheriv('aes-256-gcm', key, iv12)",
      [WEBCRYPTO + " RSA-OAEP SHA-256 + AES-GCM decrypt"], notes, tests);
  }
  return writeVectors("client_side/client_side_webcrypto_test.json", "client-side",
    WEBCRYPTO + " as Port's browser: generateKey AES-GCM 256, encrypt iv12, exportKey raw, importKey spki RSA-OAEP SHA-256, encrypt",
    [NODE + " privateDecrypt(RSA_PKCS1_OAEP_PADDING, oaepHash sha256) + createDecipheriv('aes-256-gcm')"], notes, tests);
}

const counts = [await genAes(), await genClientSide("node"), await genClientSide("webcrypto")];
if (failures.length) {
  console.error(`gen_node: ${failures.length} self-check failure(s)`);
  process.exit(1);
}
console.log(`gen_node: aes256-gcm ${counts[0]}, client-side node:crypto ${counts[1]}, client-side WebCrypto ${counts[2]} tests written`);
