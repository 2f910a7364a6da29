// The run: Decryptor.openWebhook / openKafkaMessage and their *Async forms on the shared run
// vectors (tests/vectors/runs/runs_test.json: whole deliveries, headers, options, clock), then
// what JavaScript adds: headers in every form Node code has them, JSON.parse semantics of the
// result, argument and option checks.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'

import * as ps from 'port-secret'

import { assertPortError, keyFile, rejected, thrown, vectorsDir } from './helpers.mjs'

const doc = JSON.parse(readFileSync(join(vectorsDir, 'runs', 'runs_test.json'), 'utf8'))

/** The body bytes of a test: `body` as UTF-8 or `bodyHex`. */
function bodyOf(v) {
  return 'bodyHex' in v ? Buffer.from(v.bodyHex, 'hex') : Buffer.from(v.body, 'utf8')
}

/** Node's `req.headers` for these pairs: names lower-cased, repeated names joined by ", ". */
function nodeHeaders(pairs) {
  const headers = Object.create(null)
  for (const [name, value] of pairs) {
    const key = name.toLowerCase()
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value
  }
  return headers
}

/** Node's `req.headersDistinct`: names lower-cased, every value an array. */
function distinctHeaders(pairs) {
  const headers = {}
  for (const [name, value] of pairs) (headers[name.toLowerCase()] ??= []).push(value)
  return headers
}

const uniqueNames = (pairs) => new Set(pairs.map(([name]) => name.toLowerCase())).size === pairs.length

/**
 * The header forms a test is run with: the pairs as given always; Node's `req.headers` object when
 * no name repeats (Node would join repeats with ", ", which changes what they mean), else its
 * `headersDistinct` form; a WHATWG `Headers` when it keeps the values as they are (it trims them).
 */
function headerForms(pairs) {
  const forms = [['pairs', pairs]]
  if (uniqueNames(pairs)) forms.push(['req.headers', nodeHeaders(pairs)])
  else forms.push(['req.headersDistinct', distinctHeaders(pairs)])
  if (uniqueNames(pairs) && pairs.every(([, value]) => value === value.trim())) {
    forms.push(['Headers', new Headers(pairs)])
  }
  return forms
}

/** Every key of `value`, recursively, in order: `deepStrictEqual` does not compare key order. */
function keyOrder(value) {
  if (Array.isArray(value)) return value.map(keyOrder)
  if (value !== null && typeof value === 'object') return Object.keys(value).map((key) => [key, keyOrder(value[key])])
  return null
}

function checkOutcome(v, out, error) {
  if (v.result === 'valid') {
    assert.equal(error, undefined, `expected the run, got ${error}`)
    assert.deepStrictEqual(out, v.expected)
    assert.deepStrictEqual(keyOrder(out), keyOrder(v.expected), 'key order')
  } else {
    assert.equal(out, undefined, 'expected an error, got a run')
    assertPortError(error, v.error, [v.clientSecret])
    assert.equal(error.input, v.input ?? undefined, 'input name')
  }
}

describe('runs_test.json', () => {
  const decryptors = new Map()
  function decryptorFor(v) {
    const id = `${v.clientSecret}\n${v.privateKey ?? ''}`
    if (!decryptors.has(id)) {
      decryptors.set(id, new ps.Decryptor({ clientSecret: v.clientSecret, privateKey: v.privateKey ? keyFile(v.privateKey) : undefined }))
    }
    return decryptors.get(id)
  }

  test('the file', () => {
    assert.equal(doc.format, 'run')
    assert.equal(doc.tests.length, doc.numberOfTests)
    const count = (delivery) => doc.tests.filter((v) => v.delivery === delivery).length
    assert.ok(count('port') >= 20 && count('agent') >= 10 && count('kafka') >= 20, 'the file is not a stub')
  })

  test('every test through openWebhook / openKafkaMessage and their Async forms', async (t) => {
    const failures = []
    const counts = { sync: 0, async: 0, 'req.headers': 0, 'req.headersDistinct': 0, Headers: 0 }
    for (const v of doc.tests) {
      const decryptor = decryptorFor(v)
      const body = bodyOf(v)
      // A body given as text reaches the core as the same UTF-8 bytes: use both kinds.
      const text = 'body' in v ? v.body : body
      const calls = []
      if (v.delivery === 'kafka') {
        const options = { ...v.options, now: v.now }
        calls.push(['sync', () => decryptor.openKafkaMessage(text, options)])
        calls.push(['async', () => decryptor.openKafkaMessageAsync(body, options)])
      } else {
        const options = { ...v.options, now: v.now, delivery: v.delivery }
        for (const [form, headers] of headerForms(v.headers)) {
          calls.push([`sync ${form}`, () => decryptor.openWebhook(form === 'pairs' ? text : body, headers, options)])
          calls.push([`async ${form}`, () => decryptor.openWebhookAsync(form === 'pairs' ? body : text, headers, options)])
        }
      }
      for (const [mode, call] of calls) {
        let out
        let error
        try {
          out = mode.startsWith('async') ? await call() : call()
        } catch (e) {
          error = e
        }
        try {
          checkOutcome(v, out, error)
          counts[mode.split(' ')[0]]++
          const form = mode.split(' ')[1]
          if (form && form !== 'pairs') counts[form]++
        } catch (e) {
          failures.push(`tcId ${v.tcId} ${mode} (${v.comment}): ${e.message.split('\n')[0]}`)
        }
      }
    }
    t.diagnostic(`${doc.tests.length} tests, checks: ${JSON.stringify(counts)}`)
    assert.deepEqual(failures, [], `${failures.length} run checks failed`)
    const webhooks = doc.tests.filter((v) => v.delivery !== 'kafka').length
    assert.ok(counts.sync >= doc.tests.length && counts.async === counts.sync, JSON.stringify(counts))
    assert.equal(counts['req.headers'] + counts['req.headersDistinct'], 2 * webhooks)
    assert.ok(counts.Headers >= webhooks, JSON.stringify(counts))
  })
})

// A run built here, signed as Port signs (HMAC over the raw body).
const secret = 'run-test-client-secret-0123456789abcdef'
const decryptor = new ps.Decryptor({ clientSecret: secret })
const now = 1764583200
const userInputs = { properties: { token: { type: 'string', encryption: 'aes256-gcm' }, config: { type: 'object', encryption: 'aes256-gcm' } } }

function signedRun(raw) {
  return [raw, { 'x-port-timestamp': String(now), 'x-port-signature': ps.signPayload(raw, String(now), secret) }]
}

describe('JSON.parse semantics', () => {
  test('"__proto__" keys stay own properties, in the run and in a decrypted object input', async () => {
    const config = ps.encryptAes256Gcm('{"__proto__":{"polluted":true},"region":"eu"}', secret)
    const raw = `{"__proto__":{"isAdmin":true},"payload":{"action":{"userInputs":${JSON.stringify(userInputs)}},"properties":{"__proto__":{"x":1},"config":"${config}"}}}`
    for (const run of [decryptor.openWebhook(...signedRun(raw), { now }), await decryptor.openWebhookAsync(...signedRun(raw), { now })]) {
      assert.equal(Object.getPrototypeOf(run), Object.prototype)
      assert.ok(Object.hasOwn(run, '__proto__'))
      assert.deepEqual(Object.keys(run), ['__proto__', 'payload'])
      assert.equal(run.isAdmin, undefined)
      assert.deepStrictEqual(run, JSON.parse(raw.replace(`"${config}"`, '{"__proto__":{"polluted":true},"region":"eu"}')))
      const props = run.payload.properties
      assert.ok(Object.hasOwn(props, '__proto__') && Object.hasOwn(props.config, '__proto__'))
      assert.equal(Object.getPrototypeOf(props.config), Object.prototype)
      assert.equal(props.config.polluted, undefined)
      assert.equal({}.polluted, undefined)
      assert.equal({}.isAdmin, undefined)
    }
  })

  test('numbers are what JSON.parse makes: a big integer is a (rounded) number, -0 stays -0', async () => {
    const config = ps.encryptAes256Gcm('{"big":12345678901234567890123,"safe":9007199254740993}', secret)
    const raw = `{"id":123456789012345678901234567890,"f":[1e16,1E-5,0.1,-0.0,1.5e300,2],"payload":{"action":{"userInputs":${JSON.stringify(userInputs)}},"properties":{"config":"${config}"}}}`
    for (const run of [decryptor.openWebhook(...signedRun(raw), { now }), await decryptor.openWebhookAsync(...signedRun(raw), { now })]) {
      assert.equal(typeof run.id, 'number')
      assert.equal(run.id, 123456789012345678901234567890)
      assert.deepStrictEqual(run.f, [1e16, 1e-5, 0.1, -0, 1.5e300, 2])
      assert.ok(Object.is(run.f[3], -0))
      assert.deepStrictEqual(run.payload.properties.config, { big: 12345678901234567890123, safe: 9007199254740992 })
      assert.deepStrictEqual(run, JSON.parse(raw.replace(`"${config}"`, '{"big":12345678901234567890123,"safe":9007199254740993}')))
    }
    // The same for decryptJson and decryptProperties(Async), which share the conversion.
    assert.deepStrictEqual(decryptor.decryptJson(config, 'aes256-gcm'), { big: 12345678901234567890123, safe: 9007199254740992 })
    const props = { config, n: 12345678901234567890123 }
    for (const out of [decryptor.decryptProperties(props, userInputs), await decryptor.decryptPropertiesAsync(props, userInputs)]) {
      assert.deepStrictEqual(out, { config: { big: 12345678901234567890123, safe: 9007199254740992 }, n: 12345678901234567890123 })
    }
  })
})

describe('arguments', () => {
  const raw = `{"payload":{"action":{"userInputs":${JSON.stringify(userInputs)}},"properties":{"token":"${ps.encryptAes256Gcm('tok', secret)}"}}}`
  const [, headers] = signedRun(raw)

  test('headers: every form, names in any case, values as Buffers, a Map', async () => {
    const pairs = Object.entries(headers)
    const forms = [
      headers,
      { 'X-Port-Timestamp': headers['x-port-timestamp'], 'X-PORT-SIGNATURE': headers['x-port-signature'], 'Content-Type': 'application/json' },
      pairs,
      pairs.map(([name, value]) => [name.toUpperCase(), Buffer.from(value)]),
      new Headers(pairs),
      new Map(pairs),
      { 'x-port-timestamp': [headers['x-port-timestamp']], 'x-port-signature': ['v1,AAAA', headers['x-port-signature']], skipped: undefined },
    ]
    for (const form of forms) {
      assert.equal(decryptor.openWebhook(raw, form, { now }).payload.properties.token, 'tok')
      assert.equal((await decryptor.openWebhookAsync(Buffer.from(raw), form, { now })).payload.properties.token, 'tok')
    }
    // No headers, or no signature header: invalid_signature, unless verification is off.
    for (const none of [undefined, null, {}, [], new Headers()]) {
      assertPortError(thrown(() => decryptor.openWebhook(raw, none, { now })), 'invalid_signature')
      assert.equal(decryptor.openWebhook(raw, none, { verifySignature: false }).payload.properties.token, 'tok')
    }
  })

  test('wrong argument and option types: TypeError (RangeError) at the call, for the async forms too', () => {
    const bad = [
      [() => decryptor.openWebhook(42, headers, { now }), TypeError],
      [() => decryptor.openWebhook(raw, 'x-port-signature: v1,x', { now }), TypeError],
      [() => decryptor.openWebhook(raw, [['x-port-timestamp']], { now }), TypeError],
      [() => decryptor.openWebhook(raw, [[1, 'x']], { now }), TypeError],
      [() => decryptor.openWebhook(raw, { 'x-port-timestamp': 1764583200 }, { now }), TypeError],
      [() => decryptor.openWebhook(raw, headers, 'agent'), TypeError],
      [() => decryptor.openWebhook(raw, headers, { delivery: 'kafka' }), TypeError],
      [() => decryptor.openWebhook(raw, headers, { delivery: 1 }), TypeError],
      [() => decryptor.openWebhook(raw, headers, { verifySignature: 'no' }), TypeError],
      [() => decryptor.openWebhook(raw, headers, { tolerance: '300' }), TypeError],
      [() => decryptor.openWebhook(raw, headers, { tolerance: -1 }), RangeError],
      [() => decryptor.openWebhook(raw, headers, { maxBody: 1.5 }), RangeError],
      [() => decryptor.openWebhook(raw, headers, { userInputs: 'token' }), TypeError],
      [() => decryptor.openWebhook(raw, headers, { userInputs: { f() {} } }), TypeError],
      [() => decryptor.openWebhook(raw, headers, { propertiesPointer: 1 }), TypeError],
      [() => decryptor.openWebhook(raw, headers, { defaultEncryption: 1 }), TypeError],
      [() => decryptor.openWebhookAsync(raw, 7, { now }), TypeError],
      [() => decryptor.openWebhookAsync(raw, headers, { now: 'now' }), TypeError],
      [() => decryptor.openKafkaMessage({}, {}), TypeError],
      [() => decryptor.openKafkaMessageAsync(raw, { maxClientSideInputs: -2 }), RangeError],
    ]
    for (const [call, type] of bad) assert.throws(call, type)
  })

  test('a pointer that is not a JSON pointer is malformed; async forms reject', async () => {
    const options = { now, propertiesPointer: 'payload/properties' }
    assertPortError(thrown(() => decryptor.openWebhook(raw, headers, options)), 'malformed')
    assertPortError(await rejected(decryptor.openWebhookAsync(raw, headers, options)), 'malformed')
    assertPortError(await rejected(decryptor.openKafkaMessageAsync(raw, options)), 'malformed')
  })

  test('options: userInputs (object or names), defaultEncryption, maxBody', async () => {
    const shaped = `{"inputs":{"token":"${ps.encryptFernet('tok', secret)}","n":1}}`
    const [, h] = signedRun(shaped)
    const names = { now, propertiesPointer: '/inputs', userInputs: ['token'], defaultEncryption: 'fernet' }
    assert.deepStrictEqual(decryptor.openWebhook(shaped, h, names), { inputs: { token: 'tok', n: 1 } })
    const defs = { now, propertiesPointer: '/inputs', userInputs: { token: { encryption: 'fernet' } } }
    assert.deepStrictEqual(await decryptor.openWebhookAsync(shaped, h, defs), { inputs: { token: 'tok', n: 1 } })
    assertPortError(thrown(() => decryptor.openWebhook(shaped, h, { ...defs, maxBody: 10 })), 'malformed')
    const failing = thrown(() => decryptor.openWebhook(shaped, h, { ...names, defaultEncryption: 'rot13' }))
    assertPortError(failing, 'unsupported_encryption', [secret])
    assert.equal(failing.input, 'token')
  })
})
