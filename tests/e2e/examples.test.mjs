// Each example app, started as its README says on 127.0.0.1, receives what Port sends: a signed
// run with secrets encrypted by Port's server and browser, and every bad case. With DOWNSTREAM_URL
// it hands the decrypted values to a real HTTP server here (the customer's own service), which
// checks them exactly; its answers and its output hold no value and nothing computed from one.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { after, before, describe, test } from 'node:test'

import {
  assertNothingDerived,
  demo,
  encryptBrowser,
  encryptServer,
  plaintexts,
  post,
  runBody,
  sign,
  startDownstream,
  startExample,
  strangerPublicKey,
} from './port.mjs'

const ALL = ['db_connection', 'db_password', 'tls_certificate', 'vendor_api_key']
const values = [...Object.values(plaintexts), demo.clientSecret]

const names = (process.env.E2E_EXAMPLES ?? 'flask,express,fastify').split(',').filter(Boolean)

for (const name of names) {
  describe(`examples/${name}`, () => {
    let server
    let endpoint
    let downstream
    let accepted = 0
    before(async () => {
      downstream = await startDownstream()
      server = await startExample(name, { DOWNSTREAM_URL: downstream.url })
      endpoint = `${server.url}/port/actions`
    })
    after(async () => {
      await server?.stop()
      await downstream?.close()
    })

    /** POSTs a body signed as Port signs it. */
    async function send(body, { secret = demo.clientSecret, timestamp } = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body)
      const answer = await post(endpoint, raw, sign(raw, secret, timestamp))
      if (answer.status === 200) accepted += 1
      assertNothingDerived(JSON.stringify(answer.json), values, `${name}'s answer`)
      return answer
    }

    test('a signed run: every secret input decrypted, the exact values handed downstream, only names answered', async () => {
      const body = await runBody()
      const { status, json } = await send(body)
      assert.equal(status, 200, JSON.stringify(json))
      assert.deepEqual(json, { ok: true, runId: body.context.runId, action: 'rotate_database_credentials', entity: 'checkout-service', secrets: ALL })
      const { method, contentType, body: got } = downstream.received.at(-1)
      assert.equal(method, 'POST')
      assert.match(contentType, /^application\/json/)
      assert.deepEqual(got, { runId: body.context.runId, secrets: plaintexts })
    })

    test('optional secret inputs left out are skipped', async () => {
      const body = await runBody()
      delete body.payload.properties.vendor_api_key
      body.payload.properties.tls_certificate = null
      const { status, json } = await send(body)
      assert.equal(status, 200, JSON.stringify(json))
      assert.deepEqual(json.secrets, ['db_connection', 'db_password'])
      assert.deepEqual(downstream.received.at(-1).body.secrets, { db_connection: plaintexts.db_connection, db_password: plaintexts.db_password })
    })

    test('the downstream service fails: 502 downstream_failed, nothing else said', async () => {
      downstream.status = 503
      try {
        const { status, json } = await send(await runBody())
        assert.deepEqual([status, json], [502, { error: 'downstream_failed' }])
      } finally {
        downstream.status = 204
      }
    })

    test('the pretty-printed body Port may send verifies on its raw bytes', async () => {
      const raw = JSON.stringify(await runBody(), null, 2)
      const { status } = await send(raw)
      assert.equal(status, 200)
    })

    test('unsigned: 401 invalid_signature', async () => {
      const { status, json } = await post(endpoint, JSON.stringify(await runBody()))
      assert.equal(status, 401)
      assert.deepEqual(json, { error: 'invalid_signature' })
    })

    test('signature without a timestamp: 401 invalid_signature', async () => {
      const raw = JSON.stringify(await runBody())
      const { 'x-port-signature': signature } = sign(raw, demo.clientSecret)
      const { status, json } = await post(endpoint, raw, { 'x-port-signature': signature })
      assert.equal(status, 401)
      assert.deepEqual(json, { error: 'invalid_signature' })
    })

    test('tampered body (one input changed after signing): 401 invalid_signature', async () => {
      const raw = JSON.stringify(await runBody())
      const headers = sign(raw, demo.clientSecret)
      const tampered = raw.replace('quarterly rotation', 'quarterly rotatioN')
      assert.notEqual(tampered, raw)
      const { status, json } = await post(endpoint, tampered, headers)
      assert.equal(status, 401)
      assert.deepEqual(json, { error: 'invalid_signature' })
    })

    test('re-serialized body (whitespace added after signing): 401 invalid_signature', async () => {
      const body = await runBody()
      const headers = sign(JSON.stringify(body), demo.clientSecret)
      const { status, json } = await post(endpoint, JSON.stringify(body, null, 1), headers)
      assert.equal(status, 401)
      assert.deepEqual(json, { error: 'invalid_signature' })
    })

    test('signed with another client secret: 401 invalid_signature', async () => {
      const { status, json } = await send(await runBody(), { secret: 'another-organisation-secret-000000000' })
      assert.equal(status, 401)
      assert.deepEqual(json, { error: 'invalid_signature' })
    })

    test('stale timestamp (signed an hour ago): 401 expired', async () => {
      const { status, json } = await send(await runBody(), { timestamp: Math.floor(Date.now() / 1000) - 3600 })
      assert.equal(status, 401)
      assert.deepEqual(json, { error: 'expired' })
    })

    test('timestamp from the future (10 minutes): 401 expired', async () => {
      const { status, json } = await send(await runBody(), { timestamp: Math.floor(Date.now() / 1000) + 600 })
      assert.equal(status, 401)
      assert.deepEqual(json, { error: 'expired' })
    })

    test('aes256-gcm secret encrypted with another client secret: 400 authentication_failed', async () => {
      const overrides = { db_password: encryptServer('x', 'ANOTHER-client-secret-of-32-bytes-or-more') }
      const { status, json } = await send(await runBody({ overrides }))
      assert.equal(status, 400)
      assert.deepEqual(json, { error: 'authentication_failed', input: 'db_password' })
    })

    test('client-side secret encrypted for another public key: 400 authentication_failed', async () => {
      const overrides = { vendor_api_key: await encryptBrowser('x', await strangerPublicKey()) }
      const { status, json } = await send(await runBody({ overrides }))
      assert.equal(status, 400)
      assert.deepEqual(json, { error: 'authentication_failed', input: 'vendor_api_key' })
    })

    test('broken ciphertext (one bit flipped): 400 authentication_failed', async () => {
      const value = Buffer.from(encryptServer('hunter2', demo.clientSecret), 'base64')
      value[20] ^= 1
      const { status, json } = await send(await runBody({ overrides: { tls_certificate: value.toString('base64') } }))
      assert.equal(status, 400)
      assert.deepEqual(json, { error: 'authentication_failed', input: 'tls_certificate' })
    })

    test('broken ciphertext (truncated): 400 malformed', async () => {
      const value = Buffer.from(encryptServer('hunter2', demo.clientSecret), 'base64').subarray(0, 20)
      const { status, json } = await send(await runBody({ overrides: { db_password: value.toString('base64') } }))
      assert.equal(status, 400)
      assert.deepEqual(json, { error: 'malformed', input: 'db_password' })
    })

    test('broken ciphertext (not base64): 400 invalid_base64', async () => {
      const { status, json } = await send(await runBody({ overrides: { vendor_api_key: 'not*base64!' } }))
      assert.equal(status, 400)
      assert.deepEqual(json, { error: 'invalid_base64', input: 'vendor_api_key' })
    })

    test('an object secret that is not JSON: 400 invalid_json', async () => {
      const overrides = { db_connection: encryptServer('host=db port=5432', demo.clientSecret) }
      const { status, json } = await send(await runBody({ overrides }))
      assert.equal(status, 400)
      assert.deepEqual(json, { error: 'invalid_json', input: 'db_connection' })
    })

    for (const [kind, value] of [
      ['a number', 12345],
      ['an object', { value: 'x' }],
      ['a list', ['x']],
      ['a boolean', true],
    ]) {
      test(`a secret input that is ${kind}, not a string: 400 malformed`, async () => {
        const { status, json } = await send(await runBody({ overrides: { db_password: value } }))
        assert.equal(status, 400)
        assert.deepEqual(json, { error: 'malformed', input: 'db_password' })
      })
    }

    test('a signed body that is not JSON: 400 invalid_json', async () => {
      const { status, json } = await send('{"action": "rotate_database_credentials", ')
      assert.equal(status, 400)
      assert.deepEqual(json, { error: 'invalid_json' })
    })

    test('a signed JSON body that is not a run: 400 malformed', async () => {
      for (const raw of ['[1, 2]', '{"payload": {}}', '{"payload": {"properties": {}, "action": {}}}']) {
        const { status, json } = await send(raw)
        assert.equal(status, 400, raw)
        assert.deepEqual(json, { error: 'malformed' }, raw)
      }
    })

    test('a huge body (4 MiB, signed): 413 body_too_large', async () => {
      const body = await runBody({ overrides: { reason: 'x'.repeat(4 * 1024 * 1024) } })
      const { status, json } = await send(body)
      assert.equal(status, 413)
      assert.deepEqual(json, { error: 'body_too_large' })
    })

    test('a huge unsigned body: 413 before anything else', async () => {
      const { status, json } = await post(endpoint, Buffer.alloc(3 * 1024 * 1024, 0x20))
      assert.equal(status, 413)
      assert.deepEqual(json, { error: 'body_too_large' })
    })

    test('still serving after every bad case; one downstream call per run it took (and the failed one); no value in its output', async () => {
      const { status } = await send(await runBody())
      assert.equal(status, 200)
      assert.equal(downstream.received.length, accepted + 1)
      const output = server.output()
      assert.match(output, /rotated/)
      assertNothingDerived(output, values, `${name}'s output`)
    })
  })
}

/** Python's `json.dumps(value)`, default separators, for ASCII-only values without floats. */
function pythonSpaced(value) {
  if (Array.isArray(value)) return `[${value.map(pythonSpaced).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonSpaced(v)}`).join(', ')}}`
  }
  return JSON.stringify(value)
}

// The Node examples started with PORT_DELIVERY=agent get runs as port-agent forwards them: the
// HMAC over "<ts>." + Python's compact json.dumps of the body (JSON.stringify, for these ASCII
// bodies), the body sent as `requests.post(json=...)` sends it, with spaced separators.
for (const name of names.filter((n) => n === 'express' || n === 'fastify')) {
  describe(`examples/${name} with PORT_DELIVERY=agent`, () => {
    let server
    let endpoint
    let downstream
    before(async () => {
      downstream = await startDownstream()
      server = await startExample(name, { PORT_DELIVERY: 'agent', DOWNSTREAM_URL: downstream.url })
      endpoint = `${server.url}/port/actions`
    })
    after(async () => {
      await server?.stop()
      await downstream?.close()
    })

    function agentHeaders(body, timestamp = Math.floor(Date.now() / 1000)) {
      const compact = JSON.stringify(body)
      assert.ok(/^[\x20-\x7e]*$/.test(compact))
      const mac = createHmac('sha256', demo.clientSecret).update(`${timestamp}.${compact}`).digest('base64')
      return { 'x-port-timestamp': String(timestamp), 'x-port-signature': `v1,${mac}` }
    }

    test('a forwarded run: every secret input decrypted', async () => {
      const body = await runBody()
      const { status, json } = await post(endpoint, pythonSpaced(body), agentHeaders(body))
      assert.equal(status, 200, JSON.stringify(json))
      assert.equal(json.runId, body.context.runId)
      assert.deepEqual(json.secrets, ALL)
      assert.deepEqual(downstream.received, [{ method: 'POST', contentType: 'application/json', body: { runId: body.context.runId, secrets: plaintexts } }])
      assertNothingDerived(JSON.stringify(json) + server.output(), values, name)
    })

    test('signed over the raw bytes (as Port signs), changed in transit, stale: 401', async () => {
      const body = await runBody()
      const spaced = pythonSpaced(body)
      assert.deepEqual(await post(endpoint, spaced, sign(spaced, demo.clientSecret)), { status: 401, json: { error: 'invalid_signature' } })
      const headers = agentHeaders(body)
      assert.deepEqual(await post(endpoint, spaced.replace('quarterly', 'monthly'), headers), {
        status: 401,
        json: { error: 'invalid_signature' },
      })
      const stale = agentHeaders(body, Math.floor(Date.now() / 1000) - 3600)
      assert.deepEqual(await post(endpoint, spaced, stale), { status: 401, json: { error: 'expired' } })
    })

    test('a secret that fails: 400 naming it', async () => {
      const body = await runBody({ overrides: { vendor_api_key: 'not*base64!' } })
      const { status, json } = await post(endpoint, pythonSpaced(body), agentHeaders(body))
      assert.equal(status, 400)
      assert.deepEqual(json, { error: 'invalid_base64', input: 'vendor_api_key' })
    })
  })
}

// Without DOWNSTREAM_URL (the README's command) an example takes the run, holds the values and
// answers with the input names: it calls nothing.
for (const name of names) {
  describe(`examples/${name} without DOWNSTREAM_URL`, () => {
    let server
    before(async () => {
      server = await startExample(name, { DOWNSTREAM_URL: '' })
    })
    after(async () => {
      await server?.stop()
    })

    test('a signed run: 200 with the input names, no value in the answer or the output', async () => {
      const body = await runBody()
      const raw = JSON.stringify(body)
      const { status, json } = await post(`${server.url}/port/actions`, raw, sign(raw, demo.clientSecret))
      assert.equal(status, 200, JSON.stringify(json))
      assert.deepEqual(json, { ok: true, runId: body.context.runId, action: 'rotate_database_credentials', entity: 'checkout-service', secrets: ALL })
      assertNothingDerived(JSON.stringify(json) + server.output(), values, name)
    })
  })
}
