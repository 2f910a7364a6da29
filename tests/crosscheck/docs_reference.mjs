// What the node:crypto decrypt snippets in Port's docs do, written independently, plus WebCrypto
// encryption exactly as Port's browser does it for client-side inputs. Used as a subprocess:
//   node docs_reference.mjs < cases.json > results.json
// Each case: {op, value?, plaintextB64?, clientSecret?, privateKeyPem?, publicKeyPem?}.
import crypto from "node:crypto";

export function decryptAes256Gcm(value, clientSecret) {
  const buf = Buffer.from(value, "base64");
  const iv = buf.subarray(0, 16);
  const data = buf.subarray(16, buf.length - 16);
  const tag = buf.subarray(buf.length - 16);
  const key = Buffer.from(clientSecret.substring(0, 32));
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

export function decryptClientSide(value, privateKeyPem) {
  const buf = Buffer.from(value, "base64");
  const privateKey = crypto.createPrivateKey(privateKeyPem);
  const k = privateKey.asymmetricKeyDetails.modulusLength / 8;
  const iv = buf.subarray(0, 12);
  const wrapped = buf.subarray(12, 12 + k);
  const rest = buf.subarray(12 + k);
  const aesKey = crypto.privateDecrypt(
    { key: privateKey, oaepHash: "sha256", padding: crypto.constants.RSA_PKCS1_OAEP_PADDING },
    wrapped,
  );
  const decipher = crypto.createDecipheriv("aes-256-gcm", aesKey, iv);
  decipher.setAuthTag(rest.subarray(rest.length - 16));
  return Buffer.concat([decipher.update(rest.subarray(0, rest.length - 16)), decipher.final()]);
}

export async function webCryptoEncrypt(plaintext, publicKeyPem) {
  const { subtle } = globalThis.crypto;
  const der = Buffer.from(publicKeyPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  const rsaKey = await subtle.importKey("spki", der, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"]);
  const aesKey = await subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await subtle.encrypt({ name: "AES-GCM", iv }, aesKey, plaintext);
  const raw = await subtle.exportKey("raw", aesKey);
  const wrapped = await subtle.encrypt({ name: "RSA-OAEP" }, rsaKey, raw);
  return Buffer.concat([Buffer.from(iv), Buffer.from(wrapped), Buffer.from(ciphertext)]).toString("base64");
}

async function main() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = [];
  for (const c of cases) {
    try {
      if (c.op === "decrypt-aes256-gcm") {
        results.push({ ok: decryptAes256Gcm(c.value, c.clientSecret).toString("base64") });
      } else if (c.op === "decrypt-client-side") {
        results.push({ ok: decryptClientSide(c.value, c.privateKeyPem).toString("base64") });
      } else if (c.op === "webcrypto-encrypt") {
        results.push({ ok: await webCryptoEncrypt(Buffer.from(c.plaintextB64, "base64"), c.publicKeyPem) });
      } else {
        results.push({ error: `unknown op ${c.op}` });
      }
    } catch (e) {
      results.push({ error: String(e && e.message) });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
