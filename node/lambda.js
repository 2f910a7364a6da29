// port-secret/lambda: AWS Lambda handler wrappers that open Port runs with one port-secret call
// (signature, JSON parse, secret inputs decrypted: all in Rust) before your handler runs.
//
//   const { portWebhookHandler, portKafkaHandler } = require('port-secret/lambda')
//   // API Gateway REST (v1) or HTTP API (v2), a function URL: Port's webhook
//   exports.handler = portWebhookHandler(decryptor, async (run) => ({ ok: true }))
//   // Amazon MSK or self-managed Kafka event source mapping: Port's Kafka topic
//   exports.handler = portKafkaHandler(decryptor, async (run, record) => { ... })
//
// This file adds only Lambda's side: the body out of the event (base64 or not), the headers (any
// case, single or multi-valued), the response shape, the records of a Kafka batch and which of
// them failed. The answers are those of port-secret/express (one mapping, shared): 401 `{error}`,
// 400 `{error, input}`, 413 `{error: "body_too_large"}`. No value, secret or key is ever logged or
// put in a response.
'use strict'

const { _internal } = require('./express.js')
const kafka = require('./kafkajs.js')

const { normalizeOptions, processRun, PortWebhookRejection } = _internal
const { normalizeKafkaOptions, openKafkaValue } = kafka._internal
const { PortKafkaRejection } = kafka

const TOO_LARGE = Symbol('too large')
const INVALID_BASE64 = Symbol('invalid base64')
const JSON_TYPE = 'application/json; charset=utf-8'

/** The longest base64 text that can decode to `limit` bytes or fewer (4 characters carry 3 bytes). */
function base64Limit(limit) {
  return Math.ceil(limit / 3) * 4 + 4
}

/** Standard base64, `=` padding included, nothing else: as Python's `b64decode(validate=True)`. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * The bytes of a base64 text, or INVALID_BASE64 for any other text. Strict, as the Python adapter
 * is (`invalid_base64`): `Buffer.from(text, 'base64')` would skip every character outside the
 * alphabet (white space, `-`, `_`, `.`) and decode what is left, or stop at the first `=`.
 */
function decodeBase64(text) {
  return text.length % 4 === 0 && BASE64.test(text) ? Buffer.from(text, 'base64') : INVALID_BASE64
}

/**
 * The raw body of an API Gateway (REST or HTTP API) or function URL event: a Buffer, TOO_LARGE
 * when it is over `limit` bytes (a base64 body is measured before it is decoded), or
 * INVALID_BASE64 when `isBase64Encoded` and the body is not base64.
 */
function eventBody(event, limit) {
  const body = event.body
  if (body == null) return Buffer.alloc(0)
  if (typeof body !== 'string') throw new TypeError('portWebhookHandler: event.body must be a string (an API Gateway or function URL event)')
  if (event.isBase64Encoded === true) {
    if (body.length > base64Limit(limit)) return TOO_LARGE
    const raw = decodeBase64(body)
    return raw !== INVALID_BASE64 && raw.length > limit ? TOO_LARGE : raw
  }
  if (body.length > limit) return TOO_LARGE // a UTF-16 unit is at least one UTF-8 byte
  const raw = Buffer.from(body, 'utf8')
  return raw.length > limit ? TOO_LARGE : raw
}

/**
 * The request headers of the event, names in any case: REST API events carry every value in
 * `multiValueHeaders` (and the last one in `headers`); HTTP API and function URL events have only
 * `headers` (repeated headers joined by commas).
 */
function eventHeaders(event) {
  const multi = event.multiValueHeaders
  const source = multi != null && typeof multi === 'object' && Object.keys(multi).length > 0 ? multi : event.headers
  const headers = {}
  if (source == null || typeof source !== 'object') return headers
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string') headers[name] = value
    else if (Array.isArray(value)) headers[name] = value.filter((item) => typeof item === 'string')
  }
  return headers
}

/** The Lambda proxy response for a refused request (the shape REST, HTTP API and URLs all accept). */
function rejectionResult(rejection) {
  return {
    statusCode: rejection.status,
    headers: { 'content-type': JSON_TYPE },
    body: JSON.stringify(rejection.body),
    isBase64Encoded: false,
  }
}

/** The handler's result as a proxy response: a response object as is, else JSON (200), nothing 204. */
function handlerResult(result) {
  if (result != null && typeof result === 'object' && Number.isInteger(result.statusCode)) return result
  if (result === undefined) return { statusCode: 204, headers: {}, body: '', isBase64Encoded: false }
  return { statusCode: 200, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(result), isBase64Encoded: false }
}

/**
 * Wraps a Lambda handler for Port webhooks behind API Gateway REST APIs (payload v1), HTTP APIs
 * (v2) or a function URL: reads the body (base64-decoded when `isBase64Encoded`, at most `limit`
 * bytes; a body that is not base64 is answered 400 `{error: "invalid_base64"}`) and the headers from the event, opens the run with one `decryptor.openWebhookAsync` call
 * and calls `handler(run, event, context)` only for a verified run. The handler returns a proxy
 * response (`{ statusCode, headers, body }`), or any other value (sent as JSON, 200; `undefined`:
 * 204). A refused request is answered without calling it: 401 `{error}` (bad or missing signature,
 * stale timestamp), 400 `{error, input}` (a secret that fails, `invalid_json`, `malformed`), 413
 * `{error: "body_too_large"}`. Options: those of port-secret/express.
 */
function portWebhookHandler(decryptor, handler, options) {
  const opts = normalizeOptions(decryptor, options, 'portWebhookHandler')
  if (typeof handler !== 'function') throw new TypeError('portWebhookHandler: the handler must be a function')
  return async function portWebhookLambda(event, context) {
    if (event == null || typeof event !== 'object') throw new TypeError('portWebhookHandler: the event must be an object')
    const raw = eventBody(event, opts.limit)
    if (raw === TOO_LARGE) return rejectionResult(new PortWebhookRejection(413, 'body_too_large'))
    if (raw === INVALID_BASE64) return rejectionResult(new PortWebhookRejection(400, 'invalid_base64'))
    let run
    try {
      run = await processRun(opts, raw, eventHeaders(event))
    } catch (error) {
      if (error instanceof PortWebhookRejection) return rejectionResult(error)
      throw error
    }
    return handlerResult(await handler(run, event, context))
  }
}

/**
 * Wraps a Lambda handler for an Amazon MSK or self-managed Kafka event source mapping reading
 * Port's Kafka topic: each record of `event.records` (keyed "topic-partition"; `value` base64, a
 * value that is not base64 is refused as `invalid_base64`) is
 * opened with one `decryptor.openKafkaMessageAsync` call, in order, and `handler(run, record,
 * context)` is called for each verified run. Resolves to a partial batch response,
 * `{ batchItemFailures: [{ itemIdentifier: { partition: "topic-partition", offset } }] }` (empty:
 * the whole batch succeeded), which Lambda reads when the mapping has `ReportBatchItemFailures`.
 *
 * A refused record is passed to `onReject({ code, input, topic, partition, offset,
 * itemIdentifier })` (default: one `console.warn` line), then per `onError`: `'skip'` (default;
 * it never verifies, so a retry would only hold the partition back), `'retry'` (listed in
 * `batchItemFailures`; needs `reportBatchItemFailures: true`), `'throw'` (the invocation fails with
 * a PortKafkaRejection: Lambda retries the batch per the mapping's retry settings). An error of
 * the handler is rethrown (the batch is retried), or with `reportBatchItemFailures: true` listed
 * in `batchItemFailures` and the next record processed.
 */
function portKafkaHandler(decryptor, handler, options) {
  const opts = normalizeKafkaOptions(decryptor, options, 'portKafkaHandler', ['skip', 'retry', 'throw'])
  if (typeof handler !== 'function') throw new TypeError('portKafkaHandler: the handler must be a function')
  const given = options == null ? {} : options
  const reportFailures = given.reportBatchItemFailures === undefined ? false : given.reportBatchItemFailures
  if (typeof reportFailures !== 'boolean') throw new TypeError('portKafkaHandler: reportBatchItemFailures must be a boolean')
  if (opts.onError === 'retry' && !reportFailures) {
    throw new TypeError("portKafkaHandler: onError: 'retry' needs reportBatchItemFailures: true (and ReportBatchItemFailures on the mapping)")
  }
  return async function portKafkaLambda(event, context) {
    if (event == null || typeof event !== 'object') throw new TypeError('portKafkaHandler: the event must be an object')
    const records = event.records
    if (records == null || typeof records !== 'object') {
      throw new TypeError('portKafkaHandler: event.records must be an object (an MSK or self-managed Kafka event)')
    }
    const batchItemFailures = []
    for (const [key, list] of Object.entries(records)) {
      if (!Array.isArray(list)) continue
      for (const record of list) {
        const itemIdentifier = { partition: key, offset: record.offset }
        const value = record.value
        const bytes = typeof value !== 'string' ? null : value.length > base64Limit(opts.limit) ? TOO_LARGE : decodeBase64(value)
        const opened =
          bytes === TOO_LARGE
            ? { code: 'body_too_large' } // not decoded at all
            : bytes === INVALID_BASE64
              ? { code: 'invalid_base64' }
              : await openKafkaValue(opts, bytes)
        if (opened.run === undefined) {
          const info = { code: opened.code, topic: record.topic, partition: record.partition, offset: record.offset, itemIdentifier }
          if (opened.input != null) info.input = opened.input
          await opts.onReject(info)
          if (opts.onError === 'throw') throw new PortKafkaRejection(info)
          if (opts.onError === 'retry') batchItemFailures.push({ itemIdentifier })
          continue
        }
        try {
          await handler(opened.run, record, context)
        } catch (error) {
          if (!reportFailures) throw error
          batchItemFailures.push({ itemIdentifier })
        }
      }
    }
    return { batchItemFailures }
  }
}

module.exports = { portWebhookHandler, portKafkaHandler, PortWebhookRejection, PortKafkaRejection }
