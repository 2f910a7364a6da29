// The shared vectors of tests/vectors (the same files every binding reads): each valid value
// decrypts to its plaintext, each invalid one throws PortSecretError with its exact code.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { test } from 'node:test'

import * as ps from 'port-secret'

import { assertPortError, keyFile, rejected, thrown, vectorFiles, vectorsDir } from './helpers.mjs'

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

// decryptProperties and decryptPropertiesAsync on the JSON values as JSON.parse gives them (any
// type, as a user passes them): the exact output (same key order) or a PortSecretError with the
// exact code and `input`.
test('properties_invalid_test.json through decryptProperties and decryptPropertiesAsync', async () => {
  const doc = JSON.parse(readFileSync(join(vectorsDir, 'properties', 'properties_invalid_test.json'), 'utf8'))
  assert.equal(doc.format, 'properties')
  assert.equal(doc.tests.length, doc.numberOfTests)
  const decryptors = new Map()
  const failures = []
  const counts = { valid: 0, invalid: 0 }
  for (const v of doc.tests) {
    const id = v.privateKey ?? '-'
    if (!decryptors.has(id)) {
      decryptors.set(id, new ps.Decryptor({ clientSecret: v.clientSecret, privateKey: v.privateKey ? keyFile(v.privateKey) : undefined }))
    }
    const decryptor = decryptors.get(id)
    for (const mode of ['sync', 'async']) {
      try {
        let out
        let error
        try {
          out = mode === 'sync'
            ? decryptor.decryptProperties(v.properties, v.userInputs)
            : await decryptor.decryptPropertiesAsync(v.properties, v.userInputs)
        } catch (e) {
          error = e
        }
        if (v.result === 'valid') {
          assert.equal(error, undefined, `expected an output, got ${error}`)
          assert.deepStrictEqual(out, v.expected)
          assert.equal(JSON.stringify(out), JSON.stringify(v.expected), 'key order')
          counts.valid++
        } else {
          assertPortError(error, v.error, [v.clientSecret])
          assert.equal(error.input, v.input ?? undefined, 'input name')
          counts.invalid++
        }
      } catch (error) {
        failures.push(`tcId ${v.tcId} ${mode} (${v.comment}): ${error.message.split('\n')[0]}`)
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${2 * doc.tests.length} properties checks failed`)
  // Every test ran in both modes, and the file is not a stub.
  const inFile = (result) => doc.tests.filter((v) => v.result === result).length
  assert.deepEqual(counts, { valid: 2 * inFile('valid'), invalid: 2 * inFile('invalid') })
  assert.ok(inFile('valid') >= 40 && inFile('invalid') >= 100, JSON.stringify(counts))
})
