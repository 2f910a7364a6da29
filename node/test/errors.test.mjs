// The error taxonomy: every code reachable from JavaScript, PortSecretError's shape, TypeErrors for
// wrong argument types (never a crash), and no secret in any message or util.inspect output.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inspect } from 'node:util'

import * as ps from 'port-secret'

import { assertNoSecret, assertPortError, jsCode, keyFile, rejected, thrown } from './helpers.mjs'

const SECRET = 'test-client-secret-0123456789abcdefghijklmnop'
const PLAINTEXT = 'the password is hunter2-hunter2'
const { privateKey, publicKey } = ps.generateKeyPair(2048)

test('PortSecretError is exported, extends Error, and carries code and input', () => {
  const error = new ps.PortSecretError('malformed: x', 'ERR_PORT_SECRET_MALFORMED', 'db')
  assert.ok(error instanceof Error)
  assert.equal(error.name, 'PortSecretError')
  assert.equal(error.code, 'ERR_PORT_SECRET_MALFORMED')
  assert.equal(error.input, 'db')
  assert.equal('input' in new ps.PortSecretError('m', 'ERR_PORT_SECRET_MALFORMED'), false)
  assert.match(String(error.stack), /^PortSecretError: malformed: x/)
})

test('every code of the taxonomy', async () => {
  const gcm = ps.encryptAes256Gcm(PLAINTEXT, SECRET)
  const decryptor = new ps.Decryptor({ clientSecret: SECRET, privateKey })
  const ts = String(Math.floor(Date.now() / 1000))
  const cases = {
    invalid_base64: () => ps.decryptAes256Gcm('not base64!', SECRET),
    malformed: () => ps.decryptAes256Gcm('AAAA', SECRET),
    authentication_failed: () => ps.decryptAes256Gcm(gcm, SECRET.replace('t', 'T')),
    invalid_key: () => ps.decryptAes256Gcm(gcm, 'short'),
    invalid_utf8: () => ps.decryptAes256Gcm(ps.encryptAes256Gcm(Buffer.from([0xff, 0xfe]), SECRET), SECRET),
    invalid_json: () => decryptor.decryptJson(gcm, 'aes256-gcm'),
    expired: () => ps.verifySignature('{}', ps.signPayload('{}', '1000', SECRET), '1000', SECRET),
    unsupported_encryption: () => decryptor.decrypt(gcm, 'aes128-cbc'),
    invalid_signature: () => ps.verifySignature('{}', 'v1,AAAA', ts, SECRET),
  }
  assert.deepEqual(Object.keys(cases).sort(), [
    'authentication_failed', 'expired', 'invalid_base64', 'invalid_json', 'invalid_key',
    'invalid_signature', 'invalid_utf8', 'malformed', 'unsupported_encryption',
  ])
  for (const [code, fn] of Object.entries(cases)) {
    assertPortError(thrown(fn), code, [SECRET, PLAINTEXT, privateKey])
  }
  // The same errors reject the promise of the async forms.
  // A `+` is never in Fernet's URL-safe alphabet. (The random value alone was flaky: about 1 run
  // in 12 has neither `+` nor `/`, decodes as URL-safe base64 and is then too short: malformed.)
  assertPortError(await rejected(decryptor.decryptAsync(`+${gcm.slice(1)}`, 'fernet')), 'invalid_base64', [SECRET])
  assertPortError(await rejected(decryptor.decryptAsync(gcm, 'no-such')), 'unsupported_encryption')
  assertPortError(await rejected(decryptor.decryptAsync(gcm, { algorithm: 7 })), 'unsupported_encryption')
  assertPortError(await rejected(decryptor.decryptAsync('AAAA', 'client-side')), 'malformed')
})

test('an error never shows the secret, the key or the plaintext', async () => {
  const gcm = ps.encryptAes256Gcm(PLAINTEXT, SECRET)
  const side = ps.encryptClientSide(PLAINTEXT, publicKey)
  const other = ps.generateKeyPair(2048)
  const errors = [
    thrown(() => ps.decryptAes256Gcm(gcm, SECRET.slice(0, 31))),
    thrown(() => ps.decryptAes256Gcm(gcm, `${SECRET}X`.replace('t', 'x'))),
    thrown(() => ps.decryptClientSide(side, other.privateKey)),
    thrown(() => ps.decryptClientSide(side, privateKey.replace('PRIVATE', 'PUBLIC'))),
    thrown(() => new ps.Decryptor({ clientSecret: SECRET, privateKey: `${privateKey.slice(0, 200)}\n-----END PRIVATE KEY-----\n` })),
    thrown(() => new ps.Decryptor({ clientSecret: [SECRET, 'tiny'] })),
    await rejected(new ps.Decryptor({ privateKey: other.privateKey }).decryptAsync(side, 'client-side')),
  ]
  const secrets = [SECRET, SECRET.slice(0, 31), PLAINTEXT, privateKey, other.privateKey, ...privateKey.split('\n'), ...other.privateKey.split('\n')]
  for (const error of errors) {
    assert.ok(error instanceof ps.PortSecretError)
    assertNoSecret(error, secrets)
  }
})

test('util.inspect(decryptor) shows counts only', () => {
  const decryptor = new ps.Decryptor({ clientSecret: [SECRET, `${SECRET}-old`], privateKey })
  const shown = [inspect(decryptor), inspect(decryptor, { showHidden: true, depth: 10 }), JSON.stringify(decryptor), String(decryptor)]
  assert.equal(shown[0], 'Decryptor { clientSecrets: 2, privateKeys: 1 }')
  for (const text of shown) {
    assert.ok(!text.includes(SECRET))
    for (const line of privateKey.split('\n').filter((l) => l.length > 20)) assert.ok(!text.includes(line))
  }
  assert.equal(decryptor.clientSecretCount, 2)
  assert.equal(decryptor.privateKeyCount, 1)
  assert.equal(decryptor.maxInputLen, 1 << 20)
})

test('generateKeyPair result holds the keys and nothing else', () => {
  assert.match(privateKey, /^-----BEGIN PRIVATE KEY-----\n/)
  assert.match(publicKey, /^-----BEGIN PUBLIC KEY-----\n/)
  assertPortError(thrown(() => ps.generateKeyPair(1024)), 'invalid_key')
  assert.throws(() => ps.generateKeyPair('2048'), TypeError)
  assert.throws(() => ps.generateKeyPair(2048.5), RangeError)
})

/** Values of every JavaScript type that is not a string or Uint8Array. */
const WRONG = [undefined, null, 42, 42n, true, Symbol('s'), {}, [], ['a'], () => 1, new Int16Array(4), new ArrayBuffer(4), new DataView(new ArrayBuffer(4)), new Date(0), Promise.resolve('x')]

function assertTypeError(fn, label) {
  const error = thrown(fn)
  assert.ok(error instanceof TypeError, `${label}: expected TypeError, got ${inspect(error)}`)
  assert.equal(error.code, 'ERR_INVALID_ARG_TYPE', label)
  assert.ok(!(error instanceof ps.PortSecretError))
}

test('wrong argument types are a TypeError, for every function', async () => {
  const gcm = ps.encryptAes256Gcm('x', SECRET)
  const decryptor = new ps.Decryptor({ clientSecret: SECRET, privateKey })
  const calls = {
    // name: (bad) => call with `bad` in one argument position
    'decryptAes256Gcm value': (bad) => ps.decryptAes256Gcm(bad, SECRET),
    'decryptAes256Gcm secret': (bad) => ps.decryptAes256Gcm(gcm, bad),
    'decryptAes256GcmBytes value': (bad) => ps.decryptAes256GcmBytes(bad, SECRET),
    'encryptAes256Gcm plaintext': (bad) => ps.encryptAes256Gcm(bad, SECRET),
    'encryptAes256Gcm secret': (bad) => ps.encryptAes256Gcm('x', bad),
    'decryptClientSide value': (bad) => ps.decryptClientSide(bad, privateKey),
    'decryptClientSide key': (bad) => ps.decryptClientSide(gcm, bad),
    'decryptClientSideBytes key': (bad) => ps.decryptClientSideBytes(gcm, bad),
    'encryptClientSide plaintext': (bad) => ps.encryptClientSide(bad, publicKey),
    'encryptClientSide key': (bad) => ps.encryptClientSide('x', bad),
    'decryptFernet token': (bad) => ps.decryptFernet(bad, SECRET),
    'decryptFernet secret': (bad) => ps.decryptFernet('x', bad),
    'decryptFernetBytes token': (bad) => ps.decryptFernetBytes(bad, SECRET),
    'encryptFernet plaintext': (bad) => ps.encryptFernet(bad, SECRET),
    'encryptFernet secret': (bad) => ps.encryptFernet('x', bad),
    'signPayload body': (bad) => ps.signPayload(bad, '1', SECRET),
    'signPayload secret': (bad) => ps.signPayload('{}', '1', bad),
    'verifySignature body': (bad) => ps.verifySignature(bad, 'v1,x', '1', SECRET),
    'verifySignature signature': (bad) => ps.verifySignature('{}', bad, '1', SECRET),
    'verifySignature secret': (bad) => ps.verifySignature('{}', 'v1,x', '1', bad),
    'Decryptor.decrypt value': (bad) => decryptor.decrypt(bad, 'aes256-gcm'),
    'Decryptor.decryptBytes value': (bad) => decryptor.decryptBytes(bad, 'aes256-gcm'),
    'Decryptor.decryptJson value': (bad) => decryptor.decryptJson(bad, 'aes256-gcm'),
    'Decryptor.decryptAsync value': (bad) => decryptor.decryptAsync(bad, 'aes256-gcm'),
    'Decryptor.verifySignature body': (bad) => decryptor.verifySignature(bad, 'v1,x', '1'),
  }
  for (const [label, call] of Object.entries(calls)) {
    for (const bad of WRONG) assertTypeError(() => call(bad), `${label} (${typeof bad})`)
  }
  // Options, timestamps, encryption and properties.
  const notObjects = [42, 'x', true, Symbol('s'), 1n]
  for (const bad of notObjects) {
    assertTypeError(() => ps.decryptFernet('x', SECRET, bad), 'fernet options')
    assertTypeError(() => ps.verifySignature('{}', 'v1,x', '1', SECRET, bad), 'verify options')
    assertTypeError(() => new ps.Decryptor(bad), 'Decryptor options')
  }
  // Any JSON value crosses: one that is not an object is malformed, as in every language; a
  // value JSON cannot hold is a TypeError.
  for (const bad of [42, 'x', true, null, []]) {
    assertPortError(thrown(() => decryptor.decryptProperties(bad, {})), 'malformed')
    assertPortError(thrown(() => decryptor.decryptProperties({}, bad)), 'malformed')
    assertPortError(await rejected(decryptor.decryptPropertiesAsync(bad, {})), 'malformed')
  }
  for (const bad of [undefined, Symbol('s'), 1n, () => 1]) {
    assertTypeError(() => decryptor.decryptProperties(bad, {}), 'properties')
    assertTypeError(() => decryptor.decryptProperties({}, bad), 'userInputs')
    assertTypeError(() => decryptor.decryptPropertiesAsync(bad, {}), 'properties async')
  }
  for (const bad of [undefined, null, 42, true, [], Symbol('s')]) {
    assertTypeError(() => decryptor.decrypt(gcm, bad), 'encryption')
    assertTypeError(() => decryptor.decryptAsync(gcm, bad), 'encryption async')
  }
  for (const bad of [undefined, null, {}, true, Symbol('s')]) {
    assertTypeError(() => ps.signPayload('{}', bad, SECRET), 'timestamp')
  }
  for (const bad of ['300', {}, true]) {
    assertTypeError(() => ps.decryptFernet('x', SECRET, { ttl: bad }), 'ttl')
    assertTypeError(() => ps.verifySignature('{}', 'v1,x', '1', SECRET, { tolerance: bad }), 'tolerance')
    assertTypeError(() => new ps.Decryptor({ clientSecret: SECRET, maxInputLen: bad }), 'maxInputLen')
  }
  for (const bad of [42, {}, [SECRET, 42], [null]]) {
    assertTypeError(() => new ps.Decryptor({ clientSecret: bad }), 'clientSecret')
    assertTypeError(() => new ps.Decryptor({ privateKey: bad }), 'privateKey')
  }
  assertTypeError(() => new ps.Decryptor(), 'no options')
  assertTypeError(() => ps.decryptAes256Gcm(), 'no arguments')
  assertTypeError(() => decryptor.decryptProperties({ a: () => 1 }, {}), 'function in properties')
  assertTypeError(() => decryptor.decryptProperties({}, { a: Symbol('s') }), 'symbol in userInputs')
  // A method called on something that is not a Decryptor: V8's own TypeError.
  assert.throws(() => ps.Decryptor.prototype.decrypt.call({}, gcm, 'aes256-gcm'), TypeError)
})

test('numbers out of range are a RangeError', () => {
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
    assert.throws(() => ps.decryptFernet('x', SECRET, { ttl: bad }), RangeError)
    assert.throws(() => ps.verifySignature('{}', 'v1,x', '1', SECRET, { tolerance: bad }), RangeError)
    assert.throws(() => new ps.Decryptor({ clientSecret: SECRET, maxInputLen: bad }), RangeError)
  }
  assert.throws(() => ps.signPayload('{}', 1.5, SECRET), RangeError)
})

test('maxInputLen 0 is refused by the core, as in every language: ERR_PORT_SECRET_MALFORMED', () => {
  assertPortError(thrown(() => new ps.Decryptor({ clientSecret: SECRET, maxInputLen: 0 })), 'malformed', [SECRET])
  assert.equal(new ps.Decryptor({ clientSecret: SECRET, maxInputLen: 1 }).maxInputLen, 1)
})

test('a TypeError says what was expected and the type received, never the value', () => {
  const gcm = ps.encryptAes256Gcm('x', SECRET)
  // napi's own conversion errors would quote the value (JSON.stringify of an object): a secret
  // passed in the wrong place, or in the wrong shape, would end up in the message.
  const wrapped = { secret: SECRET, toJSON: () => SECRET }
  const cases = [
    [() => ps.decryptAes256Gcm(gcm, wrapped), 'expected a string, got object'],
    [() => ps.decryptAes256Gcm(wrapped, SECRET), 'expected a string, Buffer or Uint8Array, got object'],
    [() => ps.signPayload('{}', wrapped, SECRET), 'expected a timestamp string or number, got object'],
    [() => new ps.Decryptor({ clientSecret: wrapped }), 'expected a string or an array of strings, got object'],
    [() => new ps.Decryptor({ clientSecret: [SECRET, wrapped] }), 'expected a string or an array of strings, got object'],
    [() => new ps.Decryptor({ clientSecret: SECRET, fernetTtl: wrapped }), 'expected a number, got object'],
    [() => ps.decryptFernet('x', SECRET, { ttl: wrapped }), 'expected a number, got object'],
    [() => ps.verifySignature('{}', 'v1,x', '1', SECRET, SECRET), 'expected an options object, got string'],
    [() => ps.maskPieces(() => SECRET), 'expected a JSON-compatible value, got function'],
  ]
  for (const [call, message] of cases) {
    const error = thrown(call)
    assert.ok(error instanceof TypeError, String(error))
    assert.equal(error.code, 'ERR_INVALID_ARG_TYPE')
    assert.equal(error.message, message)
    assertNoSecret(error, [SECRET])
  }
})

test('option fields: undefined is absent, and null too where the types allow it; elsewhere null is a TypeError', () => {
  const decryptor = new ps.Decryptor({ clientSecret: SECRET, privateKey: null, maxInputLen: undefined })
  assert.equal(decryptor.privateKeyCount, 0)
  // userInputs null: the definitions come from the body (here none: malformed, not a TypeError).
  const run = JSON.stringify({ payload: { properties: { a: 1 } } })
  const noDefinitions = thrown(() => decryptor.openWebhook(run, null, { verifySignature: false, userInputs: null, defaultEncryption: null, now: undefined }))
  assertPortError(noDefinitions, 'malformed')
  assert.match(noDefinitions.message, /no input definitions/)
  assertTypeError(() => ps.decryptFernet('x', SECRET, { ttl: null }), 'ttl: null')
  assertTypeError(() => decryptor.openWebhook(run, null, { verifySignature: null }), 'verifySignature: null')
  assertTypeError(() => decryptor.openWebhook(run, null, { propertiesPointer: null }), 'propertiesPointer: null')
})

test('signPayload takes the order of verifySignature: the old order is malformed, never signed', () => {
  // What was signed first (body, timestamp), the key last. The old order (body, clientSecret,
  // timestamp) puts the secret where the timestamp goes: ERR_PORT_SECRET_MALFORMED.
  const body = '{"action":"deploy"}'
  const ts = String(Math.floor(Date.now() / 1000))
  assertPortError(thrown(() => ps.signPayload(body, SECRET, ts)), 'malformed', [SECRET])
  for (const bad of ['now', '1700000000.5', '', ' 1700000000']) {
    assertPortError(thrown(() => ps.signPayload(body, bad, SECRET)), 'malformed', [SECRET])
  }
  // The old order with a number timestamp puts a number where the secret goes: a TypeError.
  assertTypeError(() => ps.signPayload(body, SECRET, Number(ts)), 'old order, number timestamp')
  const signature = ps.signPayload(body, ts, SECRET)
  ps.verifySignature(body, signature, ts, SECRET)
  assert.equal(ps.signPayload(body, Number(ts), SECRET), signature)
})

test('a Decryptor needs a key', () => {
  assertPortError(thrown(() => new ps.Decryptor({})), 'invalid_key')
  assertPortError(thrown(() => new ps.Decryptor({ clientSecret: [] })), 'invalid_key')
  assertPortError(thrown(() => new ps.Decryptor({ privateKey: keyFile('rsa1024_pkcs8.pem') })), 'invalid_key')
  assertPortError(thrown(() => new ps.Decryptor({ privateKey: keyFile('rsa2048_public.pem') })), 'invalid_key')
  // A Decryptor without the key kind an encryption needs.
  const onlySecret = new ps.Decryptor({ clientSecret: SECRET })
  assertPortError(thrown(() => onlySecret.decrypt(ps.encryptClientSide('x', publicKey), 'client-side')), 'invalid_key')
  const onlyKey = new ps.Decryptor({ privateKey })
  assertPortError(thrown(() => onlyKey.decrypt(ps.encryptAes256Gcm('x', SECRET), 'aes256-gcm')), 'invalid_key')
  assertPortError(thrown(() => onlyKey.verifySignature('{}', 'v1,x', '1')), 'invalid_key')
})

test('codes are ERR_PORT_SECRET_ + the shared code', () => {
  assert.equal(jsCode('authentication_failed'), 'ERR_PORT_SECRET_AUTHENTICATION_FAILED')
})

test('in a worker thread, errors are that thread\'s PortSecretError', async () => {
  const { Worker } = await import('node:worker_threads')
  const source = `
    const { parentPort } = require('node:worker_threads')
    const ps = require('port-secret')
    const d = new ps.Decryptor({ clientSecret: 'w'.repeat(40) })
    d.decryptAsync('AAAA', 'aes256-gcm').catch((e) => {
      parentPort.postMessage({ isClass: e instanceof ps.PortSecretError, code: e.code, name: e.name })
    })`
  const worker = new Worker(source, { eval: true })
  const message = await new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  await worker.terminate()
  assert.deepEqual(message, { isClass: true, code: 'ERR_PORT_SECRET_MALFORMED', name: 'PortSecretError' })
  // The main thread's registration is untouched.
  assertPortError(thrown(() => ps.decryptAes256Gcm('AAAA', SECRET)), 'malformed')
})

test('a huge value is rejected before decoding (64 MiB over the 1 MiB cap)', async () => {
  const huge = 'A'.repeat(64 << 20)
  const d = new ps.Decryptor({ clientSecret: SECRET })
  assertPortError(thrown(() => d.decrypt(huge, 'aes256-gcm')), 'malformed')
  assertPortError(thrown(() => d.decrypt(Buffer.from(huge), 'fernet')), 'malformed')
  assertPortError(await rejected(d.decryptAsync(huge, 'aes256-gcm')), 'malformed')
  assertPortError(thrown(() => ps.decryptAes256Gcm(huge, SECRET)), 'malformed')
  const small = new ps.Decryptor({ clientSecret: SECRET, maxInputLen: 64 })
  const value = ps.encryptAes256Gcm('x'.repeat(64), SECRET)
  assertPortError(thrown(() => small.decrypt(value, 'aes256-gcm')), 'malformed')
})
