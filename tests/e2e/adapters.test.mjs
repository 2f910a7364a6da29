// port-secret/web, /lambda and /kafkajs give the answers port-secret/express gives, on the same
// deliveries: each case goes over HTTP to an Express server (portWebhook) and to a Hono server on
// @hono/node-server (openRun and portRoute on Node's Request), into a Lambda handler as API
// Gateway REST / HTTP API events, and, as a message of Port's Kafka topic, into the Lambda Kafka
// handler and kafkajs' eachMessage. The runs are the demo action's (three aes256-gcm inputs and a
// client-side one, encrypted as Port's server and browser do).
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { after, before, describe, test } from 'node:test'

import { demo, encryptBrowser, encryptServer, plaintexts, post, runBody, sign, strangerPublicKey } from './port.mjs'

const require = createRequire(import.meta.url)
const { Decryptor } = require('port-secret')
const { portWebhook } = require('port-secret/express')
const { openRun, portRoute } = require('port-secret/web')
const { portWebhookHandler, portKafkaHandler } = require('port-secret/lambda')
const { portEachMessage } = require('port-secret/kafkajs')
const express = require('express')
const { Hono } = require('hono')
const { serve } = require('@hono/node-server')

const decryptor = new Decryptor({ clientSecret: demo.clientSecret, privateKey: readFileSync(demo.privateKeyFile, 'utf8') })
const otherSecret = 'x'.repeat(48)

const SECRET_INPUTS = ['db_connection', 'db_password', 'tls_certificate', 'vendor_api_key']
/** [runId, the decrypted secret inputs] per handler call (kept here, never answered). */
let decrypted = []

/** What every server answers for a run: the names of its secret inputs, never a value. */
function describeRun(run) {
  decrypted.push([run.context.runId, Object.fromEntries(SECRET_INPUTS.map((name) => [name, run.payload.properties[name]]))])
  return { ok: true, runId: run.context.runId, secrets: SECRET_INPUTS }
}

function expectedRun(body) {
  return { ok: true, runId: body.context.runId, secrets: SECRET_INPUTS }
}

/** The `count` handler calls for `runId` got exactly the plaintexts (the Kafka runs' password is ASCII). */
function assertDecrypted(runId, { count = 1, password = plaintexts.db_password } = {}) {
  const calls = decrypted.filter(([id]) => id === runId)
  assert.deepEqual(
    calls.map(([, values]) => values),
    Array(count).fill({ ...plaintexts, db_password: password }),
    runId,
  )
  decrypted = decrypted.filter(([id]) => id !== runId)
}

/** A message of Port's Kafka topic (signature inside, over the compact JSON without it). */
function kafkaMessage(body, secret = demo.clientSecret, timestamp = Math.floor(Date.now() / 1000)) {
  const message = { ...body, headers: {} }
  const compact = JSON.stringify(message)
  assert.ok(/^[\x20-\x7e]*$/.test(compact), 'ASCII-only: JSON.stringify is then the compact json.dumps')
  const mac = createHmac('sha256', secret).update(`${timestamp}.${compact}`).digest('base64')
  message.headers = { 'X-Port-Signature': `v1,${mac}`, 'X-Port-Timestamp': String(timestamp) }
  return JSON.stringify(message)
}

/** ASCII-only plaintexts for the Kafka cases (the demo password has a ✓). */
async function asciiRunBody(overrides = {}) {
  const body = await runBody({ overrides })
  if (!('db_password' in overrides)) body.payload.properties.db_password = encryptServer('ascii-pass', demo.clientSecret)
  return body
}

/** Every case: a webhook request (raw, headers), a Kafka message, what Express answers. */
async function buildCases() {
  const ago = Math.floor(Date.now() / 1000) - 3600
  const list = []
  const add = (name, raw, headers, message, status, body) => list.push({ name, raw, headers, message, status, body })
  {
    const body = await runBody()
    const raw = JSON.stringify(body)
    add('valid run', raw, sign(raw, demo.clientSecret), kafkaMessage(await asciiRunBody()), 200, expectedRun(body))
  }
  {
    const raw = JSON.stringify(await runBody())
    add('unsigned', raw, {}, JSON.stringify(await asciiRunBody()), 401, { error: 'invalid_signature' })
  }
  {
    const raw = JSON.stringify(await runBody())
    const message = JSON.parse(kafkaMessage(await asciiRunBody()))
    message.payload.properties.reason = 'tampered'
    add('tampered', raw.replace('quarterly rotation', 'quarterly rotatioN'), sign(raw, demo.clientSecret), JSON.stringify(message), 401, {
      error: 'invalid_signature',
    })
  }
  {
    const raw = JSON.stringify(await runBody())
    add('stale', raw, sign(raw, demo.clientSecret, ago), kafkaMessage(await asciiRunBody(), demo.clientSecret, ago), 401, { error: 'expired' })
  }
  {
    const raw = JSON.stringify(await runBody())
    add('wrong client secret', raw, sign(raw, otherSecret), kafkaMessage(await asciiRunBody(), otherSecret), 401, { error: 'invalid_signature' })
  }
  {
    const overrides = { db_password: encryptServer('x', otherSecret) }
    const raw = JSON.stringify(await runBody({ overrides }))
    add('aes256-gcm input under another secret', raw, sign(raw, demo.clientSecret), kafkaMessage(await asciiRunBody(overrides)), 400, {
      error: 'authentication_failed',
      input: 'db_password',
    })
  }
  {
    const overrides = { vendor_api_key: await encryptBrowser('sk_test', await strangerPublicKey()) }
    const raw = JSON.stringify(await runBody({ overrides }))
    add('client-side input for another key', raw, sign(raw, demo.clientSecret), kafkaMessage(await asciiRunBody(overrides)), 400, {
      error: 'authentication_failed',
      input: 'vendor_api_key',
    })
  }
  {
    const body = await asciiRunBody()
    body.payload.entity.padding = 'p'.repeat(4 * 1024 * 1024)
    const raw = JSON.stringify(body)
    add('oversize (4 MiB, signed)', raw, sign(raw, demo.clientSecret), kafkaMessage(body), 413, { error: 'body_too_large' })
  }
  {
    const raw = '{"not": json'
    add('not JSON (signed)', raw, sign(raw, demo.clientSecret), raw, 400, { error: 'invalid_json' })
  }
  return list
}

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${server.address().port}`
}

describe('the same deliveries through every adapter', () => {
  let cases
  let expressUrl
  let honoUrl
  const servers = []
  before(async () => {
    cases = await buildCases()
    const app = express()
    app.post('/port/actions', portWebhook(decryptor), (req, res) => res.json(describeRun(req.portRun)))
    const expressServer = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => expressServer.once('listening', resolve))
    servers.push(expressServer)
    expressUrl = `http://127.0.0.1:${expressServer.address().port}`

    const hono = new Hono()
    hono.post('/port/actions', async (c) => {
      const { run, response } = await openRun(decryptor, c.req.raw)
      if (response) return response
      return c.json(describeRun(run))
    })
    const route = portRoute(decryptor, (run) => describeRun(run))
    hono.post('/port/route', (c) => route(c.req.raw))
    hono.get('/healthz', (c) => c.json({ ok: true }))
    const honoServer = await new Promise((resolve) => {
      const server = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server))
    })
    servers.push(honoServer)
    honoUrl = `http://127.0.0.1:${honoServer.address().port}`
  })
  after(() => {
    for (const server of servers) {
      server.closeAllConnections?.()
      server.close()
    }
  })

  test('HTTP: Express, Hono (openRun), Hono (portRoute) answer alike, as expected', async () => {
    for (const c of cases) {
      const answers = {
        express: await post(`${expressUrl}/port/actions`, c.raw, c.headers),
        'hono openRun': await post(`${honoUrl}/port/actions`, c.raw, c.headers),
        'hono portRoute': await post(`${honoUrl}/port/route`, c.raw, c.headers),
      }
      for (const [server, answer] of Object.entries(answers)) {
        assert.deepEqual(answer, { status: c.status, json: c.body }, `${c.name} via ${server}`)
      }
      if (c.status === 200) assertDecrypted(c.body.runId, { count: 3 })
    }
    assert.deepEqual(decrypted, [], 'a handler ran for a refused delivery')
    // Still serving after every bad case.
    assert.equal((await fetch(`${honoUrl}/healthz`)).status, 200)
  })

  test('a huge body without Content-Length (chunked) over HTTP: 413 from Hono, like Express', async () => {
    for (const url of [`${expressUrl}/port/actions`, `${honoUrl}/port/actions`]) {
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
      let sent = 0
      const body = new ReadableStream({
        pull(controller) {
          if (sent >= 64) controller.close()
          else {
            sent += 1
            controller.enqueue(chunk)
          }
        },
      })
      const res = await fetch(url, { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } })
      assert.equal(res.status, 413, url)
      assert.deepEqual(await res.json(), { error: 'body_too_large' })
    }
  })

  test('Lambda (REST v1, HTTP API v2, base64 or not) answers as Express does', async () => {
    const handler = portWebhookHandler(decryptor, (run) => describeRun(run))
    for (const c of cases) {
      const v1 = {
        httpMethod: 'POST',
        path: '/port/actions',
        headers: { 'Content-Type': 'application/json', ...Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k.toUpperCase(), v])) },
        multiValueHeaders: null,
        body: c.raw,
        isBase64Encoded: false,
        requestContext: { httpMethod: 'POST', stage: 'prod' },
      }
      const v2 = {
        version: '2.0',
        routeKey: 'POST /port/actions',
        rawPath: '/port/actions',
        headers: { 'content-type': 'application/json', ...c.headers },
        body: Buffer.from(c.raw).toString('base64'),
        isBase64Encoded: true,
        requestContext: { http: { method: 'POST', path: '/port/actions' }, stage: '$default' },
      }
      for (const [kind, event] of [
        ['v1', v1],
        ['v2', v2],
      ]) {
        const result = await handler(event, {})
        assert.deepEqual({ status: result.statusCode, json: JSON.parse(result.body) }, { status: c.status, json: c.body }, `${c.name} via ${kind}`)
      }
      if (c.status === 200) assertDecrypted(c.body.runId, { count: 2 })
    }
    assert.deepEqual(decrypted, [], 'a handler ran for a refused delivery')
  })

  test('Kafka (Lambda MSK batch, kafkajs eachMessage): the valid runs are handled, every other case reported with its code', async () => {
    const expectedCodes = cases.filter((c) => c.status !== 200).map((c) => ({ code: c.body.error, input: c.body.input }))
    const lambdaRuns = []
    const lambdaRejected = []
    const lambda = portKafkaHandler(decryptor, (run) => lambdaRuns.push(describeRun(run)), {
      onReject: ({ code, input }) => lambdaRejected.push({ code, input }),
    })
    const event = {
      eventSource: 'aws:kafka',
      records: {
        'org_TEST.runs-0': cases.map((c, i) => ({
          topic: 'org_TEST.runs',
          partition: 0,
          offset: i,
          timestamp: Date.now(),
          timestampType: 'CREATE_TIME',
          value: Buffer.from(c.message).toString('base64'),
          headers: [],
        })),
      },
    }
    assert.deepEqual(await lambda(event, {}), { batchItemFailures: [] })
    assert.equal(lambdaRuns.length, 1)
    assertDecrypted(lambdaRuns[0].runId, { password: 'ascii-pass' })
    assert.deepEqual(lambdaRejected, expectedCodes)

    const kafkajsRuns = []
    const kafkajsRejected = []
    const eachMessage = portEachMessage(decryptor, (run) => kafkajsRuns.push(describeRun(run)), {
      onReject: ({ code, input }) => kafkajsRejected.push({ code, input }),
    })
    for (const [i, c] of cases.entries()) {
      await eachMessage({ topic: 'org_TEST.runs', partition: 0, message: { value: Buffer.from(c.message), offset: String(i) } })
    }
    assert.deepEqual(kafkajsRuns, lambdaRuns)
    assertDecrypted(kafkajsRuns[0].runId, { password: 'ascii-pass' })
    assert.deepEqual(kafkajsRejected, expectedCodes)
    assert.deepEqual(decrypted, [])
  })
})
