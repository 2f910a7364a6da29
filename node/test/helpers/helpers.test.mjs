// The framework helpers' options, on real servers on 127.0.0.1 (the examples cover the defaults):
// port-secret/express with express.raw / express.json / plain node:http, port-secret/fastify's
// scoping, and both with given userInputs, a JSON pointer, rotation, limits, no verification,
// webhooks forwarded by port-agent (delivery: 'agent') and header names in any case.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { request as httpRequest, createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { after, describe, test } from 'node:test'

import { demo, encryptServer, post, runBody, sign } from './port.mjs'

const require = createRequire(import.meta.url)
const { Decryptor } = require('port-secret')
const { portWebhook, verifyAndDecrypt, PortWebhookRejection } = require('port-secret/express')
const portSecretFastify = require('port-secret/fastify')
const express = require('express')
const Fastify = require('fastify')

const privateKey = readFileSync(demo.privateKeyFile, 'utf8')
const decryptor = new Decryptor({ clientSecret: demo.clientSecret, privateKey })
const userInputs = {
  properties: {
    token: { type: 'string', encryption: 'aes256-gcm' },
    config: { type: 'object', encryption: 'aes256-gcm' },
    note: { type: 'string' },
  },
}

/** A body an action shapes itself (Port's newer invocation: no payload.action, inputs at /inputs). */
function shapedBody(token = 'tok-123') {
  return {
    run_id: 'r_1',
    inputs: {
      token: encryptServer(token, demo.clientSecret),
      config: encryptServer('{"region":"eu"}', demo.clientSecret),
      note: 'plain',
    },
  }
}

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${server.address().port}`
}

function signed(body, secret = demo.clientSecret) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body)
  return [raw, sign(raw, secret)]
}

/**
 * Python's `json.dumps(value)` with its default separators (", " and ": "): what port-agent's
 * `requests.post(json=body)` sends. For ASCII-only values without floats (JSON.stringify and
 * Python then spell every scalar alike).
 */
function pythonSpaced(value) {
  if (Array.isArray(value)) return `[${value.map(pythonSpaced).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonSpaced(v)}`).join(', ')}}`
  }
  return JSON.stringify(value)
}

/**
 * A webhook as port-agent forwards it: HMAC-SHA256 over "<ts>." + Python's
 * `json.dumps(body, separators=(",", ":"))` (for an ASCII body: JSON.stringify), the body sent
 * with Python's default spaced separators. Returns [sent body, headers].
 */
function agentSigned(body, secret = demo.clientSecret, timestamp = Math.floor(Date.now() / 1000)) {
  const compact = JSON.stringify(body)
  assert.ok(/^[\x20-\x7e]*$/.test(compact), 'ASCII-only bodies: JSON.stringify is then the compact json.dumps')
  const mac = createHmac('sha256', secret).update(`${timestamp}.${compact}`).digest('base64')
  return [pythonSpaced(body), { 'x-port-timestamp': String(timestamp), 'x-port-signature': `v1,${mac}` }]
}

/** The same headers with their names in mixed case. */
function mixedCase(headers) {
  return { 'X-Port-Signature': headers['x-port-signature'], 'X-PORT-TIMESTAMP': headers['x-port-timestamp'] }
}

/** A chunked POST (no content-length) of `size` bytes. */
function postChunked(url, size, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }))
    })
    req.on('error', reject)
    const chunk = Buffer.alloc(16 * 1024, 0x20)
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk)
    req.end()
  })
}

describe('port-secret/express', () => {
  const servers = []
  after(() => servers.forEach((s) => s.close()))
  async function app(setup) {
    const a = express()
    setup(a)
    a.use((err, req, res, _next) => res.status(500).json({ server_error: err.constructor.name, message: err.message }))
    const server = a.listen(0, '127.0.0.1')
    servers.push(server)
    await new Promise((r) => server.once('listening', r))
    return `http://127.0.0.1:${server.address().port}`
  }
  const echo = (req, res) => res.json(req.portRun)

  test('given userInputs and a JSON pointer, for a body the action shapes itself', async () => {
    const url = await app((a) => a.post('/', portWebhook(decryptor, { userInputs, propertiesPointer: '/inputs' }), echo))
    const { status, json } = await post(url, ...signed(shapedBody()))
    assert.equal(status, 200)
    assert.deepEqual(json.inputs, { token: 'tok-123', config: { region: 'eu' }, note: 'plain' })
    assert.equal(json.run_id, 'r_1')
  })

  test('propertiesPointer "" : the whole body is the properties', async () => {
    const url = await app((a) => a.post('/', portWebhook(decryptor, { userInputs, propertiesPointer: '' }), echo))
    const { status, json } = await post(url, ...signed(shapedBody().inputs))
    assert.equal(status, 200)
    assert.deepEqual(json, { token: 'tok-123', config: { region: 'eu' }, note: 'plain' })
  })

  test('the body from express.raw() (a Buffer) is used as the raw body', async () => {
    const url = await app((a) => a.post('/', express.raw({ type: 'application/json' }), portWebhook(decryptor), echo))
    const body = await runBody()
    const { status, json } = await post(url, ...signed(body))
    assert.equal(status, 200)
    assert.equal(json.payload.properties.db_connection.host, 'db.internal')
  })

  test('a body already parsed by express.json(): a server error that says why, not a guess', async () => {
    const url = await app((a) => a.post('/', express.json(), portWebhook(decryptor), echo))
    const { status, json } = await post(url, ...signed(shapedBody()))
    assert.equal(status, 500)
    assert.equal(json.server_error, 'TypeError')
    assert.match(json.message, /raw body/)
  })

  test('verifySignature: false accepts an unsigned body (behind something that checked it)', async () => {
    const url = await app((a) =>
      a.post('/', portWebhook(decryptor, { verifySignature: false, userInputs, propertiesPointer: '/inputs' }), echo),
    )
    const { status, json } = await post(url, JSON.stringify(shapedBody()))
    assert.equal(status, 200)
    assert.equal(json.inputs.token, 'tok-123')
  })

  test('rotation: a Decryptor with [current, previous] secrets accepts either signature', async () => {
    const previous = 'previous-client-secret-0123456789abcdef'
    const rotating = new Decryptor({ clientSecret: [demo.clientSecret, previous] })
    const url = await app((a) => a.post('/', portWebhook(rotating, { userInputs, propertiesPointer: '/inputs' }), echo))
    for (const secret of [demo.clientSecret, previous]) {
      const { status } = await post(url, ...signed(shapedBody(), secret))
      assert.equal(status, 200)
    }
    const { status, json } = await post(url, ...signed(shapedBody(), 'a-third-secret-0123456789abcdef0123'))
    assert.equal(status, 401)
    assert.deepEqual(json, { error: 'invalid_signature' })
  })

  test('maxBody (and limit, its alias): declared and chunked bodies over it are 413 body_too_large', async () => {
    for (const options of [{ maxBody: 4096 }, { limit: 4096 }, { maxBody: 4096, limit: 4096 }]) {
      const url = await app((a) => a.post('/', portWebhook(decryptor, options), echo))
      const declared = await post(url, Buffer.alloc(5000, 0x20))
      assert.deepEqual([declared.status, declared.json], [413, { error: 'body_too_large' }])
      const chunked = await postChunked(url, 200 * 1024)
      assert.deepEqual([chunked.status, chunked.json], [413, { error: 'body_too_large' }])
    }
  })

  test('a body express.text() decoded is refused (its signed bytes are gone), never re-encoded', async () => {
    const url = await app((a) => a.post('/', express.text({ type: '*/*' }), portWebhook(decryptor), echo))
    const raw = JSON.stringify(await runBody())
    const { status, json } = await post(url, raw, sign(raw, demo.clientSecret))
    assert.equal(status, 500)
    assert.equal(json.server_error, 'TypeError')
    assert.match(json.message, /raw body/)
  })

  test('tolerance: a 400-second-old signature passes with tolerance 600, not with the default', async () => {
    const url600 = await app((a) => a.post('/', portWebhook(decryptor, { userInputs, propertiesPointer: '/inputs', tolerance: 600 }), echo))
    const url300 = await app((a) => a.post('/', portWebhook(decryptor, { userInputs, propertiesPointer: '/inputs' }), echo))
    const raw = JSON.stringify(shapedBody())
    const headers = sign(raw, demo.clientSecret, Math.floor(Date.now() / 1000) - 400)
    assert.equal((await post(url600, raw, headers)).status, 200)
    assert.deepEqual(await post(url300, raw, headers), { status: 401, json: { error: 'expired' } })
  })

  test('works on a plain node:http server too', async () => {
    const middleware = portWebhook(decryptor, { userInputs, propertiesPointer: '/inputs' })
    const server = createServer((req, res) =>
      middleware(req, res, (err) => {
        res.end(JSON.stringify(err ? { err: String(err) } : req.portRun.inputs))
      }),
    )
    servers.push(server)
    const url = await listen(server)
    const { status, json } = await post(url, ...signed(shapedBody()))
    assert.equal(status, 200)
    assert.equal(json.token, 'tok-123')
  })

  test('verifyAndDecrypt: the framework-neutral step', async () => {
    const [raw, headers] = signed(shapedBody())
    const run = await verifyAndDecrypt(decryptor, raw, headers, { userInputs, propertiesPointer: '/inputs' })
    assert.equal(run.inputs.token, 'tok-123')
    await assert.rejects(verifyAndDecrypt(decryptor, raw, {}, { userInputs }), (error) => {
      assert.ok(error instanceof PortWebhookRejection)
      assert.equal(error.status, 401)
      assert.deepEqual(error.body, { error: 'invalid_signature' })
      return true
    })
  })

  test("delivery: 'agent' accepts a webhook port-agent forwarded (signed over compact JSON, sent spaced)", async () => {
    const url = await app((a) => a.post('/', portWebhook(decryptor, { delivery: 'agent' }), echo))
    const portUrl = await app((a) => a.post('/', portWebhook(decryptor), echo))
    const body = await runBody()
    const [sent, headers] = agentSigned(body)
    assert.notEqual(sent, JSON.stringify(body))
    const ok = await post(url, sent, headers)
    assert.equal(ok.status, 200)
    assert.deepEqual(ok.json.payload.properties.db_connection, { host: 'db.internal', port: 5432, user: 'app', sslmode: 'require' })
    assert.equal(ok.json.payload.properties.vendor_api_key, 'sk_test_4eC39HqLyjWDarjtT1zdp7dc')
    assert.equal(ok.json.context.runId, body.context.runId)
    // The compact form sent as is verifies too; Port's own mode checks the raw bytes and refuses.
    assert.equal((await post(url, JSON.stringify(body), headers)).status, 200)
    assert.deepEqual(await post(portUrl, sent, headers), { status: 401, json: { error: 'invalid_signature' } })
    // A change after signing, a Port-signed (raw body) request, another secret: 401.
    assert.deepEqual(await post(url, sent.replace('quarterly', 'Quarterly'), headers), { status: 401, json: { error: 'invalid_signature' } })
    assert.deepEqual(await post(url, ...signed(pythonSpaced(body))), { status: 401, json: { error: 'invalid_signature' } })
    assert.equal((await post(url, ...agentSigned(body, 'another-client-secret-0123456789abcdef'))).status, 401)
    const stale = agentSigned(body, demo.clientSecret, Math.floor(Date.now() / 1000) - 3600)
    assert.deepEqual(await post(url, ...stale), { status: 401, json: { error: 'expired' } })
    // Not JSON: 400, as in Port mode.
    assert.deepEqual(await post(url, '{"a":', headers), { status: 400, json: { error: 'invalid_json' } })
  })

  test('header names in any case: over HTTP, and given to verifyAndDecrypt as an object, pairs or Headers', async () => {
    const url = await app((a) => a.post('/', portWebhook(decryptor, { userInputs, propertiesPointer: '/inputs' }), echo))
    const [raw, headers] = signed(shapedBody())
    const { status, json } = await post(url, raw, mixedCase(headers))
    assert.equal(status, 200)
    assert.equal(json.inputs.token, 'tok-123')
    const options = { userInputs, propertiesPointer: '/inputs' }
    for (const form of [mixedCase(headers), Object.entries(mixedCase(headers)), new Headers(mixedCase(headers))]) {
      const run = await verifyAndDecrypt(decryptor, Buffer.from(raw), form, options)
      assert.deepEqual(run.inputs, { token: 'tok-123', config: { region: 'eu' }, note: 'plain' })
    }
    const [sent, agentHeaders] = agentSigned(shapedBody())
    const run = await verifyAndDecrypt(decryptor, sent, mixedCase(agentHeaders), { ...options, delivery: 'agent' })
    assert.equal(run.inputs.token, 'tok-123')
  })

  test('400s: not JSON, not a run, a failing input named; the run keeps "__proto__" as an own key', async () => {
    const url = await app((a) => a.post('/', portWebhook(decryptor, { userInputs, propertiesPointer: '/inputs' }), echo))
    assert.deepEqual(await post(url, ...signed('{"inputs":')), { status: 400, json: { error: 'invalid_json' } })
    assert.deepEqual(await post(url, ...signed('[1,2]')), { status: 400, json: { error: 'malformed' } })
    const body = shapedBody()
    body.inputs.token = 'not base64!'
    assert.deepEqual(await post(url, ...signed(body)), { status: 400, json: { error: 'invalid_base64', input: 'token' } })
    const raw = JSON.stringify(shapedBody()).replace('{"run_id"', '{"__proto__":{"polluted":1},"run_id"')
    const run = await verifyAndDecrypt(decryptor, raw, sign(raw, demo.clientSecret), { userInputs, propertiesPointer: '/inputs' })
    assert.ok(Object.hasOwn(run, '__proto__'))
    assert.equal(run.polluted, undefined)
    assert.equal(Object.getPrototypeOf(run), Object.prototype)
  })

  test('bad set-up is a TypeError at once, not on the first request', () => {
    assert.throws(() => portWebhook({}), TypeError)
    assert.throws(() => portWebhook(decryptor, { tolerance: -1 }), TypeError)
    assert.throws(() => portWebhook(decryptor, { limit: 0 }), TypeError)
    assert.throws(() => portWebhook(decryptor, { maxBody: 0 }), TypeError)
    assert.throws(() => portWebhook(decryptor, { maxBody: 4096, limit: 8192 }), /maxBody and limit/)
    assert.throws(() => portWebhook(decryptor, { propertiesPointer: 'payload/properties' }), TypeError)
    assert.throws(() => portWebhook(decryptor, { userInputs: 'x' }), TypeError)
    assert.throws(() => portWebhook(decryptor, { delivery: 'kafka' }), TypeError)
    assert.throws(() => portWebhook(decryptor, { verifySignature: 'yes' }), TypeError)
    assert.throws(() => portWebhook(decryptor, { defaultEncryption: 7 }), TypeError)
    assert.throws(() => verifyAndDecrypt(decryptor, 42, {}), TypeError)
    const keyOnly = new Decryptor({ privateKey })
    assert.throws(() => portWebhook(keyOnly), TypeError) // no client secret to verify with
    assert.doesNotThrow(() => portWebhook(keyOnly, { verifySignature: false }))
  })
})

describe('port-secret/fastify', () => {
  const apps = []
  after(() => Promise.all(apps.map((a) => a.close())))
  async function start(build) {
    const app = Fastify()
    apps.push(app)
    await build(app)
    await app.listen({ port: 0, host: '127.0.0.1' })
    return `http://127.0.0.1:${app.server.address().port}`
  }

  test('registered at the root before its routes: webhook POST routes verified, GET and opted-out routes untouched', async () => {
    const url = await start(async (app) => {
      app.register(portSecretFastify, { decryptor, userInputs, propertiesPointer: '/inputs' })
      app.get('/healthz', async () => ({ ok: true }))
      app.post('/hook', async (request) => request.portRun)
      app.post('/plain', { config: { portWebhook: false } }, async (request) => ({ body: request.body, run: request.portRun }))
    })
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true })
    const ok = await post(`${url}/hook`, ...signed(shapedBody()))
    assert.equal(ok.status, 200)
    assert.deepEqual(ok.json.inputs, { token: 'tok-123', config: { region: 'eu' }, note: 'plain' })
    assert.deepEqual(await post(`${url}/hook`, JSON.stringify(shapedBody())), { status: 401, json: { error: 'invalid_signature' } })
    // The opted-out route: Fastify's own JSON parsing, no verification.
    assert.deepEqual(await post(`${url}/plain`, '{"a":1}'), { status: 200, json: { body: { a: 1 }, run: null } })
    const bad = await post(`${url}/plain`, '{"a":')
    assert.equal(bad.status, 400)
    assert.equal(bad.json.code, 'FST_ERR_CTP_INVALID_JSON_BODY')
    const poisoned = await post(`${url}/plain`, '{"__proto__":{"x":1}}')
    assert.equal(poisoned.status, 400) // Fastify's prototype-poisoning guard still applies
  })

  test('registered after its routes (same context): still applies', async () => {
    const url = await start(async (app) => {
      app.post('/hook', async (request) => request.portRun)
      app.register(portSecretFastify, { decryptor, userInputs, propertiesPointer: '/inputs' })
    })
    assert.equal((await post(`${url}/hook`, ...signed(shapedBody()))).status, 200)
    assert.equal((await post(`${url}/hook`, JSON.stringify(shapedBody()))).status, 401)
  })

  test('scoped in a child context: sibling routes keep the default JSON parser', async () => {
    const url = await start(async (app) => {
      app.register(async (child) => {
        await child.register(portSecretFastify, { decryptor })
        child.post('/port', async (request) => request.portRun.payload.properties.db_connection)
      })
      app.post('/other', async (request) => request.body)
    })
    const ok = await post(`${url}/port`, ...signed(await runBody()))
    assert.deepEqual([ok.status, ok.json.host], [200, 'db.internal'])
    assert.deepEqual(await post(`${url}/other`, '{"b":2}'), { status: 200, json: { b: 2 } })
  })

  test('maxBody: declared and chunked bodies over it are 413 body_too_large', async () => {
    const url = await start(async (app) => {
      app.register(portSecretFastify, { decryptor, maxBody: 4096 })
      app.post('/hook', async (request) => request.portRun)
    })
    const declared = await post(`${url}/hook`, Buffer.alloc(5000, 0x20))
    assert.deepEqual([declared.status, declared.json], [413, { error: 'body_too_large' }])
    const chunked = await postChunked(`${url}/hook`, 200 * 1024)
    assert.deepEqual([chunked.status, chunked.json], [413, { error: 'body_too_large' }])
  })

  test('verifySignature: false, and a failing input named in the 400', async () => {
    const url = await start(async (app) => {
      app.register(portSecretFastify, { decryptor, userInputs, propertiesPointer: '/inputs', verifySignature: false })
      app.post('/hook', async (request) => request.portRun)
    })
    assert.equal((await post(`${url}/hook`, JSON.stringify(shapedBody()))).status, 200)
    const body = shapedBody()
    body.inputs.config = encryptServer('not json', demo.clientSecret)
    assert.deepEqual(await post(`${url}/hook`, JSON.stringify(body)), {
      status: 400,
      json: { error: 'invalid_json', input: 'config' },
    })
  })

  test("delivery: 'agent', and header names in any case", async () => {
    const url = await start(async (app) => {
      app.register(portSecretFastify, { decryptor, delivery: 'agent' })
      app.post('/hook', async (request) => request.portRun.payload.properties)
    })
    const body = await runBody()
    const [sent, headers] = agentSigned(body)
    const ok = await post(`${url}/hook`, sent, mixedCase(headers))
    assert.equal(ok.status, 200)
    assert.equal(ok.json.db_connection.host, 'db.internal')
    assert.equal(ok.json.vendor_api_key, 'sk_test_4eC39HqLyjWDarjtT1zdp7dc')
    assert.deepEqual(await post(`${url}/hook`, sent.replace('quarterly', 'yearly'), headers), { status: 401, json: { error: 'invalid_signature' } })
    assert.deepEqual(await post(`${url}/hook`, sent), { status: 401, json: { error: 'invalid_signature' } })
  })

  test('a bad option fails the registration', async () => {
    const app = Fastify()
    app.register(portSecretFastify, { decryptor: null })
    await assert.rejects(app.ready(), TypeError)
    const agent = Fastify()
    agent.register(portSecretFastify, { decryptor, delivery: 'agnet' })
    await assert.rejects(agent.ready(), TypeError)
  })
})
