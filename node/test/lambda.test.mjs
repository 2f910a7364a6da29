// port-secret/lambda on events in the shapes AWS documents (test/fixtures/aws): API Gateway REST
// (v1), HTTP API (v2) and function URL requests carrying Port's webhook, and MSK / self-managed
// Kafka batches carrying messages of Port's Kafka topic. Every case answers as port-secret/express
// does (HTTP) or is reported with its code (Kafka).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { keyFile, vectorsDir } from './helpers.mjs'
import { cases, clientSecret, kafkaMessage, plaintexts, runBody, sign } from './port-side.mjs'

const require = createRequire(import.meta.url)
const { Decryptor } = require('port-secret')
const { portWebhookHandler, portKafkaHandler, PortKafkaRejection } = require('port-secret/lambda')

const here = dirname(fileURLToPath(import.meta.url))
const fixture = (name) => JSON.parse(readFileSync(join(here, 'fixtures', 'aws', `${name}.json`), 'utf8'))
const decryptor = new Decryptor({ clientSecret })
const context = { functionName: 'port-actions', awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' }

/** The event of `kind` carrying `raw` with `headers` (Port's, lower case), as API Gateway builds it. */
function httpEvent(kind, raw, headers, { base64 } = {}) {
  const event = fixture(kind)
  const encoded = base64 ?? event.isBase64Encoded
  event.body = encoded ? Buffer.from(raw).toString('base64') : raw
  event.isBase64Encoded = encoded
  if (kind === 'apigw-rest') {
    // REST APIs keep the names as the client sent them: Port's requests say X-Port-*.
    for (const [name, value] of Object.entries(headers)) {
      const sent = name.replace(/(^|-)x/g, '$1X').replace(/-port-/, '-Port-').replace(/-(s|t)/g, (m) => m.toUpperCase())
      event.headers[sent] = value
      event.multiValueHeaders[sent] = [value]
    }
  } else {
    Object.assign(event.headers, headers)
    if ('content-length' in event.headers) event.headers['content-length'] = String(Buffer.byteLength(raw))
  }
  return event
}

function bodyOf(result) {
  return JSON.parse(result.body)
}

describe('portWebhookHandler: API Gateway REST (v1), HTTP API (v2), function URL', () => {
  for (const kind of ['apigw-rest', 'apigw-http', 'function-url']) {
    for (const base64 of [false, true]) {
      describe(`${kind}${base64 ? ', base64 body' : ''}`, () => {
        for (const c of cases()) {
          test(`${c.name}: ${c.status}`, async () => {
            const seen = []
            const handler = portWebhookHandler(decryptor, async (run, event, ctx) => {
              seen.push([run.payload.properties.db_password, run.payload.properties.api_token, event.isBase64Encoded, ctx])
              return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true, runId: run.context.runId }) }
            })
            const result = await handler(httpEvent(kind, c.raw, c.headers, { base64 }), context)
            assert.equal(result.statusCode, c.status)
            if (c.status === 200) {
              assert.deepEqual(bodyOf(result), { ok: true, runId: c.runId })
              assert.deepEqual(seen, [[plaintexts.db_password, plaintexts.api_token, base64, context]])
            } else {
              assert.deepEqual(bodyOf(result), c.body)
              assert.equal(result.headers['content-type'], 'application/json; charset=utf-8')
              assert.equal(result.isBase64Encoded, false)
              assert.equal(seen.length, 0, 'the handler is not called for a refused request')
            }
          })
        }
      })
    }
  }

  test('REST API with only `headers` (no multiValueHeaders), names in any case', async () => {
    const raw = JSON.stringify(runBody())
    const event = httpEvent('apigw-rest', raw, {})
    event.multiValueHeaders = null
    const { 'x-port-signature': signature, 'x-port-timestamp': timestamp } = sign(raw)
    event.headers['X-PORT-SIGNATURE'] = signature
    event.headers['x-Port-timestamp'] = timestamp
    const result = await portWebhookHandler(decryptor, (run) => run.payload.properties.api_token === plaintexts.api_token)(event, context)
    assert.equal(result.statusCode, 200)
    assert.equal(result.body, 'true')
  })

  test("the handler's result: a proxy response as is, a value as JSON (200), undefined as 204", async () => {
    const raw = JSON.stringify(runBody())
    const event = () => httpEvent('apigw-http', raw, sign(raw))
    const response = { statusCode: 202, headers: { 'x-run': '1' }, body: 'accepted', cookies: ['a=b'] }
    assert.deepEqual(await portWebhookHandler(decryptor, () => response)(event(), context), response)
    const json = await portWebhookHandler(decryptor, () => ({ ok: true }))(event(), context)
    assert.deepEqual(json, { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"ok":true}', isBase64Encoded: false })
    const nothing = await portWebhookHandler(decryptor, () => {})(event(), context)
    assert.equal(nothing.statusCode, 204)
    assert.equal(nothing.body, '')
  })

  test('a huge base64 body is refused from its length (413), a body at the limit is read', async () => {
    const event = httpEvent('function-url', 'x'.repeat(64), {})
    event.body = 'A'.repeat(8 * 1024 * 1024)
    const result = await portWebhookHandler(decryptor, () => {})(event, context)
    assert.equal(result.statusCode, 413)
    const raw = 'y'.repeat(1000)
    const atLimit = await portWebhookHandler(decryptor, () => {}, { limit: 1000 })(httpEvent('function-url', raw, sign(raw)), context)
    assert.deepEqual([atLimit.statusCode, bodyOf(atLimit)], [400, { error: 'invalid_json' }])
    const over = await portWebhookHandler(decryptor, () => {}, { limit: 999 })(httpEvent('function-url', raw, sign(raw)), context)
    assert.deepEqual([over.statusCode, bodyOf(over)], [413, { error: 'body_too_large' }])
  })

  test('a base64 body that is not strict base64 is 400 invalid_base64, as in Python: never decoded leniently', async () => {
    const raw = JSON.stringify(runBody())
    const calls = []
    const handler = portWebhookHandler(decryptor, (run) => {
      calls.push(run)
    })
    const good = httpEvent('apigw-http', raw, sign(raw), { base64: true })
    const encoded = good.body
    assert.equal((await handler(good, context)).statusCode, 204)
    // Buffer.from(text, 'base64') skips white space and characters outside the alphabet, accepts
    // the URL-safe alphabet and missing padding: each of these decoded to the signed body before.
    const half = Math.floor(encoded.length / 8) * 4
    const bad = [
      `${encoded.slice(0, half)}\n${encoded.slice(half)}`,
      ` ${encoded}`,
      `${encoded.slice(0, half)}.${encoded.slice(half)}`,
      '-_-_', // the URL-safe alphabet
      encoded.replace(/=+$/, '') + (encoded.endsWith('=') ? '' : 'A'),
      `${encoded}====`,
      `=${encoded.slice(1)}`,
      'not base64!',
    ]
    for (const body of bad) {
      const result = await handler({ ...good, body }, context)
      assert.deepEqual([result.statusCode, bodyOf(result)], [400, { error: 'invalid_base64' }], JSON.stringify(body.slice(0, 20)))
    }
    assert.equal(calls.length, 1)
    // An empty base64 body is base64: an empty body, which the signature does not cover (401).
    assert.equal((await handler({ ...good, body: '' }, context)).statusCode, 401)
  })

  test('an error of the handler propagates (Lambda reports it), set-up errors are TypeErrors', async () => {
    const raw = JSON.stringify(runBody())
    const failing = portWebhookHandler(decryptor, () => {
      throw new Error('database down')
    })
    await assert.rejects(failing(httpEvent('apigw-http', raw, sign(raw)), context), /database down/)
    assert.throws(() => portWebhookHandler(decryptor), TypeError)
    assert.throws(() => portWebhookHandler(decryptor, () => {}, { verifySignature: 'yes' }), TypeError)
    await assert.rejects(portWebhookHandler(decryptor, () => {})(null, context), TypeError)
  })
})

/** A Kafka batch of `kind` with `messages` (text) on partition 0 from offset 100, then `more` on partition 1. */
function kafkaEvent(kind, messages, more = []) {
  const event = fixture(kind)
  const [template] = event.records['org_TEST.runs-0']
  const records = (partition, list) =>
    list.map((message, i) => ({
      ...structuredClone(template),
      partition,
      offset: 100 + i,
      value: message == null ? null : Buffer.from(message).toString('base64'),
    }))
  event.records = { 'org_TEST.runs-0': records(0, messages) }
  if (more.length > 0) event.records['org_TEST.runs-1'] = records(1, more)
  return event
}

describe('portKafkaHandler: MSK and self-managed Kafka event source mappings', () => {
  const all = cases()
  const bad = all.filter((c) => c.status !== 200)

  for (const kind of ['msk', 'self-managed-kafka']) {
    test(`${kind}: every verified run reaches the handler, every refused record is reported and skipped`, async () => {
      const runs = []
      const rejected = []
      const handler = portKafkaHandler(
        decryptor,
        async (run, record, ctx) => {
          assert.equal(ctx, context)
          runs.push([record.partition, record.offset, run.payload.properties.db_password, run.payload.properties.api_token])
        },
        { onReject: (info) => rejected.push(info) },
      )
      const valid = kafkaMessage(runBody())
      const event = kafkaEvent(kind, [all[0].message, ...bad.map((c) => c.message)], [valid])
      const result = await handler(event, context)
      assert.deepEqual(result, { batchItemFailures: [] })
      assert.deepEqual(runs, [
        [0, 100, plaintexts.db_password, plaintexts.api_token],
        [1, 100, plaintexts.db_password, plaintexts.api_token],
      ])
      assert.deepEqual(
        rejected,
        bad.map((c, i) => ({
          code: c.body.error,
          ...(c.body.input ? { input: c.body.input } : {}),
          topic: 'org_TEST.runs',
          partition: 0,
          offset: 101 + i,
          itemIdentifier: { partition: 'org_TEST.runs-0', offset: 101 + i },
        })),
      )
    })
  }

  test('a record value that is not strict base64 is refused as invalid_base64, never decoded leniently', async () => {
    const rejected = []
    const runs = []
    const handler = portKafkaHandler(decryptor, (run, record) => runs.push(record.offset), { onReject: (info) => rejected.push(info) })
    const event = kafkaEvent('msk', [all[0].message, all[0].message, all[0].message])
    const [first, second, third] = event.records['org_TEST.runs-0']
    second.value = ` ${second.value}`
    third.value = `${third.value.slice(0, 8)}\n${third.value.slice(8)}`
    assert.deepEqual(await handler(event, context), { batchItemFailures: [] })
    assert.deepEqual(runs, [first.offset])
    assert.deepEqual(rejected.map((info) => [info.code, info.offset]), [['invalid_base64', 101], ['invalid_base64', 102]])
  })

  test("onError: 'retry' lists the refused records in batchItemFailures (partition key and offset)", async () => {
    const handler = portKafkaHandler(decryptor, () => {}, { onError: 'retry', reportBatchItemFailures: true, onReject: () => {} })
    const result = await handler(kafkaEvent('msk', [all[0].message, bad[0].message, all[0].message, bad[1].message]), context)
    assert.deepEqual(result, {
      batchItemFailures: [
        { itemIdentifier: { partition: 'org_TEST.runs-0', offset: 101 } },
        { itemIdentifier: { partition: 'org_TEST.runs-0', offset: 103 } },
      ],
    })
    assert.throws(() => portKafkaHandler(decryptor, () => {}, { onError: 'retry' }), TypeError)
  })

  test("onError: 'throw' fails the invocation with a PortKafkaRejection at the first refused record", async () => {
    const seen = []
    const handler = portKafkaHandler(decryptor, (run, record) => seen.push(record.offset), { onError: 'throw', onReject: () => {} })
    const stale = bad.find((c) => c.body.error === 'expired')
    const error = await handler(kafkaEvent('msk', [all[0].message, stale.message, all[0].message]), context).then(
      () => assert.fail('resolved'),
      (e) => e,
    )
    assert.ok(error instanceof PortKafkaRejection)
    assert.deepEqual([error.code, error.topic, error.partition, error.offset], ['expired', 'org_TEST.runs', 0, 101])
    assert.deepEqual(seen, [100])
    assert.doesNotMatch(`${error.message}${error.stack}`, new RegExp(plaintexts.api_token))
  })

  test("the handler's errors: rethrown by default, listed with reportBatchItemFailures", async () => {
    let calls = 0
    const flaky = () => {
      calls += 1
      if (calls === 1) throw new Error('database down')
    }
    const event = () => kafkaEvent('self-managed-kafka', [all[0].message, all[0].message], [all[0].message])
    await assert.rejects(portKafkaHandler(decryptor, flaky)(event(), context), /database down/)
    calls = 0
    const result = await portKafkaHandler(decryptor, flaky, { reportBatchItemFailures: true })(event(), context)
    assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: { partition: 'org_TEST.runs-0', offset: 100 } }] })
    assert.equal(calls, 3)
  })

  test('a tombstone (null value) and a value that is not JSON are refused, not thrown', async () => {
    const rejected = []
    const result = await portKafkaHandler(decryptor, () => assert.fail('called'), { onReject: (info) => rejected.push(info.code) })(
      kafkaEvent('msk', [null, '\u00ff\u00fe']),
      context,
    )
    assert.deepEqual(result, { batchItemFailures: [] })
    assert.equal(rejected.length, 2)
    assert.ok(rejected.every((code) => typeof code === 'string' && code.length > 0))
  })

  test('the default report is one console.warn line with the code and coordinates, no value', async (t) => {
    const lines = []
    t.mock.method(console, 'warn', (line) => lines.push(line))
    const wrong = bad.find((c) => c.body.input)
    await portKafkaHandler(decryptor, () => {})(kafkaEvent('msk', [wrong.message]), context)
    assert.deepEqual(lines, ['port-secret: refused a Kafka message at org_TEST.runs/0@100: authentication_failed (input "db_password")'])
  })

  test('the realistic Kafka runs of tests/vectors/runs/runs_test.json (signed by the reference signer)', async () => {
    const doc = JSON.parse(readFileSync(join(vectorsDir, 'runs', 'runs_test.json'), 'utf8'))
    const vectors = doc.tests.filter((v) => v.delivery === 'kafka' && v.result === 'valid' && v.flags.includes('Realistic'))
    assert.ok(vectors.length > 0)
    for (const v of vectors) {
      const dec = new Decryptor({ clientSecret: v.clientSecret, privateKey: v.privateKey ? keyFile(v.privateKey) : undefined })
      const runs = []
      // Signed at a fixed past time: the tolerance reaches back to it.
      const tolerance = Math.floor(Date.now() / 1000) - v.now + 600
      const handler = portKafkaHandler(dec, (run) => runs.push(run), { ...v.options, tolerance, onReject: (info) => assert.fail(info.code) })
      assert.deepEqual(await handler(kafkaEvent('msk', [v.body]), context), { batchItemFailures: [] })
      assert.deepStrictEqual(runs, [v.expected], `tcId ${v.tcId}`)
    }
  })

  test('set-up and event errors are TypeErrors', async () => {
    assert.throws(() => portKafkaHandler(decryptor), TypeError)
    assert.throws(() => portKafkaHandler(decryptor, () => {}, { onError: 'ignore' }), TypeError)
    assert.throws(() => portKafkaHandler(decryptor, () => {}, { onReject: 'log' }), TypeError)
    assert.throws(() => portKafkaHandler(decryptor, () => {}, { reportBatchItemFailures: 1 }), TypeError)
    await assert.rejects(portKafkaHandler(decryptor, () => {})({ Records: [] }, context), TypeError)
  })
})
