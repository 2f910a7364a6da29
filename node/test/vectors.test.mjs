// The shared vectors of tests/vectors (the same files every binding reads): each valid value
// decrypts to its plaintext, each invalid one throws PortSecretError with its exact code.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { test } from 'node:test'

import * as ps from 'port-secret'

import { assertPortError, keyFile, rejected, thrown, vectorFiles } from './helpers.mjs'

const hex = (buffer) => Buffer.from(buffer).toString('hex')

/** Checks one vector through `text` (string API) and `bytes` (Buffer API, may be null). */
function checkValue(vector, secrets, text, bytes) {
  if (vector.result === 'valid') {
    if (bytes) assert.equal(hex(bytes()), vector.plaintextHex, 'bytes API')
    if ('plaintext' in vector) {
      assert.equal(text(), vector.plaintext, 'text API')
    } else {
      // Authentic but not UTF-8: the text API refuses it.
      assertPortError(thrown(text), 'invalid_utf8', secrets)
    }
  } else {
    assertPortError(thrown(text), vector.error, secrets)
    if (bytes) assertPortError(thrown(bytes), vector.error, secrets)
  }
}

const checks = {
  'aes256-gcm'(v) {
    const secrets = [v.clientSecret]
    checkValue(
      v,
      secrets,
      () => ps.decryptAes256Gcm(v.value, v.clientSecret),
      () => ps.decryptAes256GcmBytes(Buffer.from(v.value), v.clientSecret),
    )
    if (v.error !== 'invalid_key') {
      const decryptor = new ps.Decryptor({ clientSecret: v.clientSecret })
      checkValue(v, secrets, () => decryptor.decrypt(v.value, 'aes256-gcm'), () => decryptor.decryptBytes(v.value, 'aes256-gcm'))
    }
  },
  'client-side'(v) {
    const pem = keyFile(v.privateKey)
    const secrets = [pem, ...pem.split('\n').filter((line) => line.length > 40)]
    checkValue(
      v,
      secrets,
      () => ps.decryptClientSide(v.value, pem),
      () => ps.decryptClientSideBytes(new Uint8Array(Buffer.from(v.value)), pem),
    )
    if (v.error !== 'invalid_key') {
      const decryptor = new ps.Decryptor({ privateKey: pem })
      const encryption = v.publicKey ? { algorithm: 'client-side', key: keyFile(v.publicKey) } : 'client-side'
      checkValue(v, secrets, () => decryptor.decrypt(v.value, encryption), () => decryptor.decryptBytes(v.value, encryption))
    }
  },
  fernet(v) {
    const options = { ttl: v.ttl, now: v.now }
    checkValue(
      v,
      [v.clientSecret],
      () => ps.decryptFernet(v.token, v.clientSecret, options),
      () => ps.decryptFernetBytes(v.token, v.clientSecret, options),
    )
  },
  signature(v) {
    const verify = () => ps.verifySignature(v.body, v.signature, v.timestamp, v.clientSecret, { tolerance: v.tolerance, now: v.now })
    if (v.result === 'valid') {
      assert.equal(verify(), undefined)
      const decryptor = new ps.Decryptor({ clientSecret: v.clientSecret })
      decryptor.verifySignature(Buffer.from(v.body), v.signature, v.timestamp, { tolerance: v.tolerance, now: v.now })
    } else {
      assertPortError(thrown(verify), v.error, [v.clientSecret])
    }
  },
}

let total = 0
for (const file of vectorFiles()) {
  test(basename(file), () => {
    const doc = JSON.parse(readFileSync(file, 'utf8'))
    assert.equal(doc.tests.length, doc.numberOfTests)
    const check = checks[doc.format]
    assert.ok(check, `unknown format ${doc.format}`)
    const failures = []
    for (const vector of doc.tests) {
      try {
        check(vector)
      } catch (error) {
        failures.push(`tcId ${vector.tcId} (${vector.comment}): ${error.message.split('\n')[0]}`)
      }
    }
    total += doc.tests.length
    assert.deepEqual(failures, [], `${failures.length} of ${doc.tests.length} vectors failed`)
  })
}

test('every vector file was read', () => {
  assert.ok(vectorFiles().length >= 13, 'vector files missing')
  assert.ok(total > 1000, `only ${total} vectors`)
})

test('client-side vectors through decryptAsync (thread pool)', async () => {
  const file = vectorFiles().find((f) => f.endsWith('client_side_webcrypto_test.json'))
  const doc = JSON.parse(readFileSync(file, 'utf8'))
  const decryptors = new Map()
  const pending = doc.tests.map(async (v) => {
    if (!decryptors.has(v.privateKey)) decryptors.set(v.privateKey, new ps.Decryptor({ privateKey: keyFile(v.privateKey) }))
    const promise = decryptors.get(v.privateKey).decryptAsync(v.value, 'client-side')
    if ('plaintext' in v) assert.equal(await promise, v.plaintext)
    else assertPortError(await rejected(promise), 'invalid_utf8')
  })
  await Promise.all(pending)
})

test('invalid client-side vectors reject through decryptAsync', async () => {
  const file = vectorFiles().find((f) => f.endsWith('client_side_invalid_test.json'))
  const doc = JSON.parse(readFileSync(file, 'utf8'))
  let checked = 0
  for (const v of doc.tests) {
    if (v.error === 'invalid_key') continue
    const decryptor = new ps.Decryptor({ privateKey: keyFile(v.privateKey) })
    assertPortError(await rejected(decryptor.decryptAsync(v.value, 'client-side')), v.error)
    checked += 1
  }
  assert.ok(checked > 100)
})
