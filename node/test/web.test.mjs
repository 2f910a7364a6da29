// port-secret/web on WHATWG `Request`s built in process (tests/e2e/adapters.test.mjs serves it
// through Hono over HTTP): every case answers as port-secret/express does, the body cap holds
// without buffering an unbounded stream, and the options are checked up front.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'

import { cases, clientSecret, plaintexts, runBody, sign } from './port-side.mjs'

const require = createRequire(import.meta.url)
const { Decryptor } = require('port-secret')
const { openRun, portRoute, PortWebhookRejection } = require('port-secret/web')

const decryptor = new Decryptor({ clientSecret })

function request(raw, headers, init = {}) {
  return new Request('http://127.0.0.1/port/actions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
    ...init,
  })
}

/** A request whose body is an endless stream (no Content-Length); counts the chunks pulled. */
function endlessRequest(chunkSize = 64 * 1024) {
  const state = { pulled: 0, cancelled: false }
  const chunk = new Uint8Array(chunkSize).fill(0x20)
  const body = new ReadableStream({
    pull(controller) {
      state.pulled += 1
      controller.enqueue(chunk)
    },
    cancel() {
      state.cancelled = true
    },
  })
  const req = new Request('http://127.0.0.1/port/actions', { method: 'POST', body, duplex: 'half', headers: sign('{}') })
  return { req, state }
}

describe('openRun(decryptor, request)', () => {
  for (const c of cases()) {
    test(`${c.name}: ${c.status}`, async () => {
      const { run, response } = await openRun(decryptor, request(c.raw, c.headers))
      if (c.status === 200) {
        assert.equal(response, undefined)
        assert.equal(run.context.runId, c.runId)
        assert.deepEqual(
          { db_password: run.payload.properties.db_password, api_token: run.payload.properties.api_token },
          plaintexts,
        )
        assert.equal(run.payload.properties.reason, 'quarterly rotation')
      } else {
        assert.equal(run, undefined)
        assert.ok(response instanceof Response)
        assert.equal(response.status, c.status)
        assert.match(response.headers.get('content-type'), /^application\/json/)
        assert.deepEqual(await response.json(), c.body)
      }
    })
  }

  test('header names in any case (a Headers object is case-insensitive anyway)', async () => {
    const raw = JSON.stringify(runBody())
    const { 'x-port-signature': signature, 'x-port-timestamp': timestamp } = sign(raw)
    const { run } = await openRun(decryptor, request(raw, { 'X-Port-Signature': signature, 'X-PORT-TIMESTAMP': timestamp }))
    assert.equal(run.payload.properties.db_password, plaintexts.db_password)
  })

  test('a declared Content-Length over the limit: 413 before a byte is read', async () => {
    const { req, state } = endlessRequest()
    req.headers.set('content-length', String(10 * 1024 * 1024))
    const { response } = await openRun(decryptor, req)
    assert.equal(response.status, 413)
    assert.deepEqual(await response.json(), { error: 'body_too_large' })
    assert.ok(state.pulled <= 1, `pulled ${state.pulled} chunks`)
  })

  test('an endless body without Content-Length: 413 once past the limit, the stream cancelled', async () => {
    const { req, state } = endlessRequest()
    const { response } = await openRun(decryptor, req, { limit: 256 * 1024 })
    assert.equal(response.status, 413)
    assert.deepEqual(await response.json(), { error: 'body_too_large' })
    assert.ok(state.pulled <= 8, `read ${state.pulled} chunks of 64 KiB for a 256 KiB limit`)
    assert.equal(state.cancelled, true)
  })

  test('a body exactly at the limit is read (then refused by the signature check, not the cap)', async () => {
    const raw = 'x'.repeat(1000)
    const { response } = await openRun(decryptor, request(raw, sign(raw)), { limit: 1000 })
    assert.equal(response.status, 400)
    assert.deepEqual(await response.json(), { error: 'invalid_json' })
    const over = await openRun(decryptor, request(`${raw}x`, sign(`${raw}x`)), { limit: 1000 })
    assert.equal(over.response.status, 413)
    // maxBody: the documented name (limit is its alias).
    const overMax = await openRun(decryptor, request(`${raw}x`, sign(`${raw}x`)), { maxBody: 1000 })
    assert.equal(overMax.response.status, 413)
    await assert.rejects(openRun(decryptor, request(raw, {}), { maxBody: 1000, limit: 2000 }), TypeError)
  })

  test('a streamed body in many chunks verifies on the exact bytes', async () => {
    const raw = Buffer.from(JSON.stringify(runBody()))
    const body = new ReadableStream({
      start(controller) {
        for (let at = 0; at < raw.length; at += 7) controller.enqueue(new Uint8Array(raw.subarray(at, at + 7)))
        controller.close()
      },
    })
    const req = new Request('http://127.0.0.1/', { method: 'POST', body, duplex: 'half', headers: sign(raw) })
    const { run } = await openRun(decryptor, req)
    assert.equal(run.payload.properties.api_token, plaintexts.api_token)
  })

  test('no body: 401 (nothing signed)', async () => {
    const { response } = await openRun(decryptor, new Request('http://127.0.0.1/', { method: 'POST' }))
    assert.equal(response.status, 401)
  })

  test('options: userInputs, propertiesPointer, verifySignature', async () => {
    const body = { inputs: { token: runBody().payload.properties.api_token } }
    const raw = JSON.stringify(body)
    const { run } = await openRun(decryptor, request(raw, sign(raw)), {
      userInputs: ['token'],
      propertiesPointer: '/inputs',
    })
    assert.equal(run.inputs.token, plaintexts.api_token)
    const unsigned = await openRun(decryptor, request(raw, {}), { userInputs: ['token'], propertiesPointer: '/inputs', verifySignature: false })
    assert.equal(unsigned.run.inputs.token, plaintexts.api_token)
  })

  test('a body already read, a non-Request, bad options: TypeError', async () => {
    const raw = JSON.stringify(runBody())
    const req = request(raw, sign(raw))
    await req.text()
    await assert.rejects(openRun(decryptor, req), TypeError)
    await assert.rejects(openRun(decryptor, { body: raw }), TypeError)
    await assert.rejects(openRun(decryptor, request(raw, {}), { limit: 0 }), TypeError)
    await assert.rejects(openRun(decryptor, request(raw, {}), { delivery: 'kafka' }), TypeError)
    await assert.rejects(openRun({}, request(raw, {})), TypeError)
  })

  test('PortWebhookRejection is the one of port-secret/express', () => {
    assert.equal(PortWebhookRejection, require('port-secret/express').PortWebhookRejection)
  })
})

describe('portRoute(decryptor, handler)', () => {
  test('calls the handler with the run; a Response is returned as is, a value as JSON, nothing as 204', async () => {
    const seen = []
    const route = portRoute(decryptor, (run, req, extra) => {
      seen.push([run.payload.properties.db_password, req instanceof Request, extra])
      if (extra === 'response') return new Response('done', { status: 202 })
      if (extra === 'value') return { ok: true, runId: run.context.runId }
      return undefined
    })
    const body = runBody()
    const raw = JSON.stringify(body)
    const a = await route(request(raw, sign(raw)), 'response')
    assert.equal(a.status, 202)
    assert.equal(await a.text(), 'done')
    const b = await route(request(raw, sign(raw)), 'value')
    assert.equal(b.status, 200)
    assert.deepEqual(await b.json(), { ok: true, runId: body.context.runId })
    const c = await route(request(raw, sign(raw)), 'nothing')
    assert.equal(c.status, 204)
    assert.deepEqual(seen, [
      [plaintexts.db_password, true, 'response'],
      [plaintexts.db_password, true, 'value'],
      [plaintexts.db_password, true, 'nothing'],
    ])
  })

  test('a refused request never reaches the handler', async () => {
    let called = 0
    const route = portRoute(decryptor, () => {
      called += 1
    })
    for (const c of cases().filter((c) => c.status !== 200)) {
      const res = await route(request(c.raw, c.headers))
      assert.equal(res.status, c.status, c.name)
      assert.deepEqual(await res.json(), c.body, c.name)
    }
    assert.equal(called, 0)
  })

  test('set-up errors: TypeError at once', () => {
    assert.throws(() => portRoute(decryptor, 'not a function'), TypeError)
    assert.throws(() => portRoute(decryptor, () => {}, { tolerance: -1 }), TypeError)
  })
})
