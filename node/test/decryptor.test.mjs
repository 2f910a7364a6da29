// Decryptor: rotation, key selection, decryptProperties (sync and async), decryptJson,
// signatures, the size cap and Fernet TTL.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

import * as ps from 'port-secret'

import { assertPortError, keyFile, rejected, thrown } from './helpers.mjs'

const CURRENT = 'current-client-secret-0123456789abcdefghijk'
const OLD = 'previous-client-secret-0123456789abcdefghij'
const keyA = ps.generateKeyPair(2048)
const keyB = { privateKey: keyFile('rsa3072_pkcs1.pem'), publicKey: keyFile('rsa3072_public.pem') }

test('rotation: every configured client secret is tried in turn', () => {
  const decryptor = new ps.Decryptor({ clientSecret: [CURRENT, OLD] })
  for (const secret of [CURRENT, OLD]) {
    assert.equal(decryptor.decrypt(ps.encryptAes256Gcm('gcm value', secret), 'aes256-gcm'), 'gcm value')
    assert.equal(decryptor.decrypt(ps.encryptFernet('fernet value', secret), 'fernet'), 'fernet value')
    const ts = String(Math.floor(Date.now() / 1000))
    decryptor.verifySignature('{"a":1}', ps.signPayload('{"a":1}', ts, secret), ts)
  }
  const stranger = 'unknown-client-secret-0123456789abcdefghijk'
  assertPortError(thrown(() => decryptor.decrypt(ps.encryptAes256Gcm('x', stranger), 'aes256-gcm')), 'authentication_failed', [CURRENT, OLD])
  const onlyCurrent = new ps.Decryptor({ clientSecret: CURRENT })
  assertPortError(thrown(() => onlyCurrent.decrypt(ps.encryptAes256Gcm('x', OLD), 'aes256-gcm')), 'authentication_failed')
})

test('rotation: every private key is tried; the action key picks one', async () => {
  const decryptor = new ps.Decryptor({ privateKey: [keyA.privateKey, keyB.privateKey] })
  assert.equal(decryptor.privateKeyCount, 2)
  for (const { publicKey } of [keyA, keyB]) {
    const value = ps.encryptClientSide('rotated', publicKey)
    assert.equal(decryptor.decrypt(value, 'client-side'), 'rotated')
    assert.equal(decryptor.decrypt(value, { algorithm: 'client-side', key: publicKey }), 'rotated')
    assert.equal(await decryptor.decryptAsync(value, { algorithm: 'client-side' }), 'rotated')
  }
  // The action's key names keyA but the value was made for keyB: keyA alone fails.
  const forB = ps.encryptClientSide('x', keyB.publicKey)
  assertPortError(thrown(() => decryptor.decrypt(forB, { algorithm: 'client-side', key: keyA.publicKey })), 'authentication_failed')
  const onlyA = new ps.Decryptor({ privateKey: keyA.privateKey })
  assertPortError(await rejected(onlyA.decryptAsync(forB, 'client-side')), 'authentication_failed')
  // A value too short for any configured modulus is malformed.
  const forA = ps.encryptClientSide('x', keyA.publicKey)
  const onlyB = new ps.Decryptor({ privateKey: keyB.privateKey })
  assertPortError(thrown(() => onlyB.decrypt(forA, 'client-side')), 'malformed')
})

test('encryption as a name or as JSON text: the core reads both, as in Python and C', async () => {
  const decryptor = new ps.Decryptor({ clientSecret: CURRENT, privateKey: [keyA.privateKey, keyB.privateKey] })
  const gcm = ps.encryptAes256Gcm('gcm value', CURRENT)
  for (const encryption of ['aes256-gcm', '"aes256-gcm"', '{"algorithm": "aes256-gcm"}', ' {"algorithm":"aes256-gcm"}']) {
    assert.equal(decryptor.decrypt(gcm, encryption), 'gcm value', encryption)
    assert.equal(await decryptor.decryptAsync(gcm, encryption), 'gcm value', encryption)
  }
  // The JSON text of an action's client-side encryption: its key picks the private key.
  const forB = ps.encryptClientSide('side value', keyB.publicKey)
  const text = JSON.stringify({ algorithm: 'client-side', key: keyB.publicKey })
  assert.equal(decryptor.decrypt(forB, text), 'side value')
  assertPortError(thrown(() => decryptor.decrypt(forB, JSON.stringify({ algorithm: 'client-side', key: keyA.publicKey }))), 'authentication_failed')
  for (const bad of ['{"algorithm": "rot13"}', '{"algorithm":', '"aes256-gcm', 'AES256-GCM', '']) {
    assertPortError(thrown(() => decryptor.decrypt(gcm, bad)), 'unsupported_encryption')
    assertPortError(await rejected(decryptor.decryptAsync(gcm, bad)), 'unsupported_encryption')
  }
})

test('decryptProperties decrypts every secret input and leaves the rest', async () => {
  const decryptor = new ps.Decryptor({ clientSecret: CURRENT, privateKey: keyA.privateKey })
  const userInputs = {
    properties: {
      db_password: { type: 'string', encryption: 'aes256-gcm' },
      config: { type: 'object', encryption: 'aes256-gcm' },
      token: { type: 'string', encryption: { algorithm: 'client-side', key: keyA.publicKey } },
      legacy: { type: 'string', encryption: 'fernet' },
      optional_secret: { type: 'string', encryption: 'aes256-gcm' },
      empty_secret: { type: 'string', encryption: 'aes256-gcm' },
      region: { type: 'string' },
    },
    required: ['db_password'],
  }
  const properties = {
    db_password: ps.encryptAes256Gcm('p@ss', CURRENT),
    config: ps.encryptAes256Gcm(JSON.stringify({ user: 'admin', port: 5432 }), CURRENT),
    token: ps.encryptClientSide('tok', keyA.publicKey),
    legacy: ps.encryptFernet('old', CURRENT),
    empty_secret: null,
    region: 'eu-west-1',
    extra: { nested: [1, 2, 3] },
  }
  const expected = {
    db_password: 'p@ss',
    config: { user: 'admin', port: 5432 },
    token: 'tok',
    legacy: 'old',
    empty_secret: null,
    region: 'eu-west-1',
    extra: { nested: [1, 2, 3] },
  }
  assert.deepEqual(decryptor.decryptProperties(properties, userInputs), expected)
  assert.deepEqual(decryptor.decryptProperties(properties, userInputs.properties), expected)
  assert.deepEqual(await decryptor.decryptPropertiesAsync(properties, userInputs), expected)
  // The input object is not modified.
  assert.equal(properties.db_password.length > 10, true)
  assert.equal(properties.config.startsWith('{'), false)
})

test('decryptProperties errors name the input, never its value', async () => {
  const decryptor = new ps.Decryptor({ clientSecret: CURRENT })
  const defs = { properties: { db_password: { type: 'string', encryption: 'aes256-gcm' }, cfg: { type: 'object', encryption: 'aes256-gcm' } } }
  const wrongKey = ps.encryptAes256Gcm('p@ss', OLD)
  const cases = [
    [{ db_password: wrongKey }, 'authentication_failed', 'db_password'],
    [{ db_password: 'not base64!' }, 'invalid_base64', 'db_password'],
    [{ db_password: 42 }, 'malformed', 'db_password'],
    [{ cfg: ps.encryptAes256Gcm('not json', CURRENT) }, 'invalid_json', 'cfg'],
  ]
  for (const [properties, code, input] of cases) {
    const error = thrown(() => decryptor.decryptProperties(properties, defs))
    assertPortError(error, code, [CURRENT, wrongKey])
    assert.equal(error.input, input)
    const asyncError = await rejected(decryptor.decryptPropertiesAsync(properties, defs))
    assertPortError(asyncError, code, [CURRENT, wrongKey])
    assert.equal(asyncError.input, input)
  }
  const unsupported = thrown(() => decryptor.decryptProperties({ x: 'AAAA' }, { x: { encryption: 'rot13' } }))
  assertPortError(unsupported, 'unsupported_encryption')
  assert.equal(unsupported.input, 'x')
  // Not objects at the JSON level (arrays): the core's `malformed`, without an input.
  const notMap = thrown(() => decryptor.decryptProperties([], defs))
  assertPortError(notMap, 'malformed')
  assert.equal(notMap.input, undefined)
})

test('decryptJson parses object inputs', () => {
  const decryptor = new ps.Decryptor({ clientSecret: CURRENT })
  const value = ps.encryptAes256Gcm('{"a":[1,"two",null,true],"b":{"c":1.5}}', CURRENT)
  assert.deepEqual(decryptor.decryptJson(value, 'aes256-gcm'), { a: [1, 'two', null, true], b: { c: 1.5 } })
  assert.equal(decryptor.decryptJson(ps.encryptAes256Gcm('"text"', CURRENT), 'aes256-gcm'), 'text')
})

test('Buffer, Uint8Array and string inputs are the same', () => {
  const decryptor = new ps.Decryptor({ clientSecret: CURRENT })
  const plaintext = Buffer.from([0, 1, 2, 250, 255])
  const fromBuffer = ps.encryptAes256Gcm(plaintext, CURRENT)
  const fromArray = ps.encryptAes256Gcm(new Uint8Array(plaintext), CURRENT)
  for (const value of [fromBuffer, fromArray]) {
    assert.deepEqual(decryptor.decryptBytes(value, 'aes256-gcm'), plaintext)
    assert.deepEqual(decryptor.decryptBytes(Buffer.from(value), 'aes256-gcm'), plaintext)
    // A view on part of a larger buffer.
    const padded = Buffer.concat([Buffer.from('xx'), Buffer.from(value), Buffer.from('yy')])
    assert.deepEqual(decryptor.decryptBytes(padded.subarray(2, padded.length - 2), 'aes256-gcm'), plaintext)
  }
  const text = 'héllo wörld ✓ 🔑'
  assert.equal(ps.decryptAes256Gcm(ps.encryptAes256Gcm(text, CURRENT), CURRENT), text)
  assert.equal(ps.decryptAes256Gcm(ps.encryptAes256Gcm(Buffer.from(text), CURRENT), CURRENT), text)
  assert.deepEqual(ps.decryptAes256GcmBytes(ps.encryptAes256Gcm('', CURRENT), CURRENT), Buffer.alloc(0))
})

test('round trips of every one-shot function', () => {
  const text = 'multi\nline\tsecret "quoted"'
  assert.equal(ps.decryptAes256Gcm(ps.encryptAes256Gcm(text, CURRENT), CURRENT), text)
  assert.equal(ps.decryptClientSide(ps.encryptClientSide(text, keyA.publicKey), keyA.privateKey), text)
  assert.equal(ps.decryptClientSide(ps.encryptClientSide(text, keyB.publicKey), keyB.privateKey), text)
  assert.deepEqual(ps.decryptClientSideBytes(ps.encryptClientSide(text, keyA.publicKey), keyA.privateKey), Buffer.from(text))
  assert.equal(ps.decryptFernet(ps.encryptFernet(text, CURRENT), CURRENT), text)
  assert.equal(ps.decryptFernet(ps.encryptFernet(text, CURRENT), CURRENT, { ttl: 60 }), text)
  assert.deepEqual(ps.decryptFernetBytes(ps.encryptFernet(text, CURRENT), CURRENT), Buffer.from(text))
  // The addon's version (the Cargo workspace's) is the npm package's.
  assert.equal(ps.VERSION, createRequire(import.meta.url)('port-secret/package.json').version)
  assert.equal(ps.RSA_BACKEND, 'aws-lc')
})

test('signatures: sign, verify, tolerance, now, numeric timestamps', () => {
  const body = '{"payload":{"properties":{}}}'
  const now = 1767225600
  const signature = ps.signPayload(body, String(now), CURRENT)
  assert.match(signature, /^v1,[A-Za-z0-9+/]{43}=$/)
  assert.equal(ps.signPayload(Buffer.from(body), now, CURRENT), signature)
  ps.verifySignature(body, signature, String(now), CURRENT, { now: now + 300 })
  ps.verifySignature(body, signature, now, CURRENT, { now: now - 300 })
  assertPortError(thrown(() => ps.verifySignature(body, signature, String(now), CURRENT, { now: now + 301 })), 'expired')
  ps.verifySignature(body, signature, String(now), CURRENT, { now: now + 1000, tolerance: 1000 })
  assertPortError(thrown(() => ps.verifySignature(`${body} `, signature, String(now), CURRENT, { now })), 'invalid_signature', [CURRENT])
  assertPortError(thrown(() => ps.verifySignature(body, signature, String(now + 1), CURRENT, { now })), 'invalid_signature')
  assertPortError(thrown(() => ps.verifySignature(body, signature, String(now), OLD, { now })), 'invalid_signature')
  // With the real clock.
  const fresh = String(Math.floor(Date.now() / 1000))
  ps.verifySignature(body, ps.signPayload(body, fresh, CURRENT), fresh, CURRENT)
  const decryptor = new ps.Decryptor({ clientSecret: [OLD, CURRENT] })
  decryptor.verifySignature(body, signature, now, { now })
  assertPortError(thrown(() => decryptor.verifySignature(body, signature, now, { now: now + 301 })), 'expired')
})

test('maxInputLen caps the encoded value', () => {
  const value = ps.encryptAes256Gcm('x'.repeat(100), CURRENT)
  const small = new ps.Decryptor({ clientSecret: CURRENT, maxInputLen: value.length - 1 })
  assert.equal(small.maxInputLen, value.length - 1)
  assertPortError(thrown(() => small.decrypt(value, 'aes256-gcm')), 'malformed')
  const exact = new ps.Decryptor({ clientSecret: CURRENT, maxInputLen: value.length })
  assert.equal(exact.decrypt(value, 'aes256-gcm'), 'x'.repeat(100))
})

test('fernetTtl applies to Decryptor.decrypt', () => {
  const token = ps.encryptFernet('ttl', CURRENT)
  assert.equal(new ps.Decryptor({ clientSecret: CURRENT, fernetTtl: 60 }).decrypt(token, 'fernet'), 'ttl')
  // A token from the vectors, stamped 2026-01-01: expired under any TTL today.
  const stamped = 'gAAAAABpVbkAA9spyjbb1X8NYqdzgX3PkaGHYEg22NQuJNhy7oo6mSrnIXl5YymQRY1dPw-a7hqAT2yAOV0pStTLO4IUs4NEAmWLjno89bYQBu99RgPXT68='
  const vectorSecret = 'wu4rvfkFlyniC6STujKHa2QDBuTIzPpmCDm5BjiF79ZdAtDtItJ84FN23vJM9Fzd'
  assert.equal(new ps.Decryptor({ clientSecret: vectorSecret }).decrypt(stamped, 'fernet'), 'correct horse battery staple')
  assertPortError(thrown(() => new ps.Decryptor({ clientSecret: vectorSecret, fernetTtl: 300 }).decrypt(stamped, 'fernet')), 'expired')
})
