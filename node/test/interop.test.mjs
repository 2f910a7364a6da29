// Interop with Node's own crypto, written here from the wire formats (not copied from Port's
// docs): node:crypto decrypts what this package encrypts, the way the docs' backend code does, and
// this package decrypts what WebCrypto encrypts, the way Port's browser does.
import assert from 'node:assert/strict'
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  privateDecrypt,
  randomBytes,
  webcrypto,
} from 'node:crypto'
import { test } from 'node:test'

import * as ps from 'port-secret'

import { keyFile } from './helpers.mjs'

const SECRET = 'interop-client-secret-0123456789abcdefghijk'
const PLAINTEXTS = ['', 'a', 'x'.repeat(17), 'p@ss w0rd', 'multi\nline\nvalue', 'ünïcødé ✓ 🔑', '{"user":"admin","port":5432}', 'y'.repeat(1027)]
const KEYS = [
  ['rsa2048', keyFile('rsa2048_pkcs8.pem'), keyFile('rsa2048_public.pem')],
  ['rsa3072 (PKCS#1)', keyFile('rsa3072_pkcs1.pem'), keyFile('rsa3072_public.pem')],
  ['rsa4096', keyFile('rsa4096_pkcs8.pem'), keyFile('rsa4096_public.pem')],
]

/** aes256-gcm, as a backend decrypts it with node:crypto: 16-byte IV, 16-byte tag at the end. */
function referenceDecryptAes256Gcm(value, clientSecret) {
  const data = Buffer.from(value, 'base64')
  const key = Buffer.from(clientSecret, 'utf8').subarray(0, 32)
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 16))
  decipher.setAuthTag(data.subarray(data.length - 16))
  return Buffer.concat([decipher.update(data.subarray(16, data.length - 16)), decipher.final()]).toString('utf8')
}

/** client-side with node:crypto: 12-byte IV, RSA-OAEP(SHA-256)-wrapped AES key, ciphertext, tag. */
function referenceDecryptClientSide(value, privateKeyPem) {
  const data = Buffer.from(value, 'base64')
  const iv = data.subarray(0, 12)
  // The wrapped key is as long as the modulus.
  const modulusBytes = createPrivateKey(privateKeyPem).asymmetricKeyDetails.modulusLength / 8
  const wrapped = data.subarray(12, 12 + modulusBytes)
  const key = privateDecrypt({ key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped)
  const decipher = createDecipheriv('aes-256-gcm', key, iv)
  decipher.setAuthTag(data.subarray(data.length - 16))
  return Buffer.concat([decipher.update(data.subarray(12 + modulusBytes, data.length - 16)), decipher.final()]).toString('utf8')
}

/** Fernet with node:crypto (spec: version ‖ timestamp ‖ IV ‖ AES-128-CBC ‖ HMAC-SHA256). */
function referenceDecryptFernet(token, clientSecret) {
  const key = Buffer.from(clientSecret, 'utf8').subarray(0, 32)
  const data = Buffer.from(token, 'base64url')
  assert.equal(data[0], 0x80)
  const mac = createHmac('sha256', key.subarray(0, 16)).update(data.subarray(0, data.length - 32)).digest()
  assert.deepEqual(mac, data.subarray(data.length - 32))
  const decipher = createDecipheriv('aes-128-cbc', key.subarray(16), data.subarray(9, 25))
  return Buffer.concat([decipher.update(data.subarray(25, data.length - 32)), decipher.final()]).toString('utf8')
}

/** Port's browser: AES-GCM 256 (12-byte IV), the raw key wrapped with RSA-OAEP SHA-256 (SPKI). */
async function webCryptoEncrypt(plaintext, publicKeyPem) {
  const { subtle } = webcrypto
  const aesKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
  const iv = webcrypto.getRandomValues(new Uint8Array(12))
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, aesKey, new TextEncoder().encode(plaintext)))
  const rawKey = await subtle.exportKey('raw', aesKey)
  const spki = Buffer.from(publicKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')
  const rsaKey = await subtle.importKey('spki', spki, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt'])
  const wrapped = new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, rsaKey, rawKey))
  return Buffer.concat([iv, wrapped, sealed]).toString('base64')
}

test('node:crypto decrypts encryptAes256Gcm', () => {
  for (const plaintext of PLAINTEXTS) {
    assert.equal(referenceDecryptAes256Gcm(ps.encryptAes256Gcm(plaintext, SECRET), SECRET), plaintext)
  }
})

test('this package decrypts node:crypto aes-256-gcm', () => {
  const decryptor = new ps.Decryptor({ clientSecret: SECRET })
  for (const plaintext of PLAINTEXTS) {
    const iv = randomBytes(16)
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(SECRET).subarray(0, 32), iv)
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    const value = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')
    assert.equal(ps.decryptAes256Gcm(value, SECRET), plaintext)
    assert.equal(decryptor.decrypt(value, 'aes256-gcm'), plaintext)
  }
})

test('node:crypto decrypts encryptClientSide (2048, 3072, 4096 bits)', () => {
  for (const [label, privateKey, publicKey] of KEYS) {
    for (const plaintext of PLAINTEXTS) {
      assert.equal(referenceDecryptClientSide(ps.encryptClientSide(plaintext, publicKey), privateKey), plaintext, label)
    }
  }
  const generated = ps.generateKeyPair(2048)
  assert.equal(referenceDecryptClientSide(ps.encryptClientSide('generated', generated.publicKey), generated.privateKey), 'generated')
})

test('WebCrypto values (as Port\'s browser makes them) decrypt with this package', async () => {
  for (const [label, privateKey, publicKey] of KEYS) {
    const decryptor = new ps.Decryptor({ privateKey })
    for (const plaintext of PLAINTEXTS) {
      const value = await webCryptoEncrypt(plaintext, publicKey)
      assert.equal(ps.decryptClientSide(value, privateKey), plaintext, label)
      assert.equal(decryptor.decrypt(value, { algorithm: 'client-side', key: publicKey }), plaintext, label)
      assert.equal(await decryptor.decryptAsync(value, 'client-side'), plaintext, label)
    }
  }
  // And with a key pair from generateKeyPair.
  const generated = ps.generateKeyPair(3072)
  assert.equal(ps.decryptClientSide(await webCryptoEncrypt('generated', generated.publicKey), generated.privateKey), 'generated')
})

test('node:crypto decrypts encryptFernet', () => {
  for (const plaintext of PLAINTEXTS) {
    assert.equal(referenceDecryptFernet(ps.encryptFernet(plaintext, SECRET), SECRET), plaintext)
  }
})

test('signPayload equals node:crypto HMAC-SHA256 over "<timestamp>.<body>"', () => {
  const body = '{"payload":{"properties":{"x":"y"}},"context":{"runId":"r_1"}}'
  const ts = String(Math.floor(Date.now() / 1000))
  const expected = `v1,${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('base64')}`
  assert.equal(ps.signPayload(body, ts, SECRET), expected)
  ps.verifySignature(body, expected, ts, SECRET)
  ps.verifySignature(Buffer.from(body), `v0,bogus ${expected}`, ts, SECRET)
})
