// port-secret/kafkajs: an `eachMessage` for kafkajs' `consumer.run` that opens each message of
// Port's Kafka topic with one `decryptor.openKafkaMessageAsync` call (signature and timestamp
// inside the message, JSON parse, secret inputs decrypted: all in Rust) and calls the handler with
// the run. This file adds only the consumer's side: the message value, the size cap, what happens
// to a message that is refused.
//
//   const { portEachMessage } = require('port-secret/kafkajs')
//   await consumer.run({ eachMessage: portEachMessage(decryptor, async (run, { topic, message }) => {
//     ... run.payload.properties ...
//   }) })
//
// A refused message (unsigned, tampered, stale, a secret that fails, not JSON, too large) is
// reported to `onReject` with its code and coordinates and then skipped (default: it will never
// verify, so retrying it would only stall the partition) or thrown (`onError: 'throw'`). The
// handler's own errors are not caught. No value, secret or key is ever logged.
'use strict'

const { _internal } = require('./express.js')

const { normalizeOptions, openOn, rejectionFor } = _internal
const EMPTY = new Uint8Array(0)

/** A Kafka message (or Lambda Kafka record) that port-secret refused; thrown with `onError: 'throw'`. */
class PortKafkaRejection extends Error {
  constructor(info) {
    super(
      `port kafka message rejected: ${info.code}${info.input != null ? ` (input "${info.input}")` : ''} ` +
        `at ${info.topic}/${info.partition}@${info.offset}`,
    )
    this.code = info.code
    if (info.input != null) this.input = info.input
    this.topic = info.topic
    this.partition = info.partition
    this.offset = info.offset
  }
}
Object.defineProperty(PortKafkaRejection.prototype, 'name', { value: 'PortKafkaRejection' })

/** What a refused message is reported with when no `onReject` is given: one line, no value. */
function warnRejected(info) {
  const input = info.input != null ? ` (input "${info.input}")` : ''
  console.warn(`port-secret: refused a Kafka message at ${info.topic}/${info.partition}@${info.offset}: ${info.code}${input}`)
}

/**
 * The options of the Kafka helpers: the run options of the HTTP helpers (`limit` caps a message
 * value; `delivery` does not apply) plus `onError` (one of `policies`) and `onReject`.
 */
function normalizeKafkaOptions(decryptor, options, where, policies) {
  const opts = normalizeOptions(decryptor, options, where)
  if (typeof decryptor.openKafkaMessageAsync !== 'function') {
    throw new TypeError(`${where}: the first argument must be a port-secret Decryptor`)
  }
  const given = options == null ? {} : options
  const onError = given.onError === undefined ? policies[0] : given.onError
  if (!policies.includes(onError)) {
    throw new TypeError(`${where}: onError must be ${policies.map((p) => `'${p}'`).join(' or ')}`)
  }
  const onReject = given.onReject == null ? warnRejected : given.onReject
  if (typeof onReject !== 'function') throw new TypeError(`${where}: onReject must be a function`)
  return { ...opts, onError, onReject }
}

/**
 * Opens one message value (Buffer, Uint8Array, string; null is an empty value): `{ run }`, or
 * `{ code, input }` for a value refused (`body_too_large` above `limit` bytes, else the code of the
 * PortSecretError). Errors that are not port-secret's (a TypeError) are thrown.
 */
async function openKafkaValue(opts, value) {
  const bytes = value == null ? EMPTY : value
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.byteLength
  if (size > opts.limit) return { code: 'body_too_large' }
  try {
    return { run: await openOn(opts.decryptor, 'openKafkaMessage')(bytes, opts.run) }
  } catch (error) {
    const rejection = rejectionFor(error)
    if (rejection == null) throw error
    return rejection.body.input != null ? { code: rejection.body.error, input: rejection.body.input } : { code: rejection.body.error }
  }
}

/**
 * An `eachMessage` for kafkajs' `consumer.run`: opens `message.value` as a run of Port's Kafka
 * topic and calls `handler(run, payload)` (payload: kafkajs' `{ topic, partition, message,
 * heartbeat, pause }`) only for a verified run. A refused message is passed to `onReject({ code,
 * input, topic, partition, offset })` (default: one `console.warn` line) and then skipped
 * (`onError: 'skip'`, the default) or thrown as a PortKafkaRejection (`onError: 'throw'`: kafkajs
 * then retries it and, past its retries, restarts the consumer). Other options: those of
 * `Decryptor.openKafkaMessage` (`userInputs`, `verifySignature`, `tolerance`,
 * `propertiesPointer`, `userInputsPointer`, `defaultEncryption`) and `limit` (1 MiB).
 */
function portEachMessage(decryptor, handler, options) {
  const opts = normalizeKafkaOptions(decryptor, options, 'portEachMessage', ['skip', 'throw'])
  if (typeof handler !== 'function') throw new TypeError('portEachMessage: the handler must be a function')
  return async function eachMessage(payload) {
    const { topic, partition, message } = payload
    const opened = await openKafkaValue(opts, message == null ? null : message.value)
    if (opened.run === undefined) {
      const info = { code: opened.code, topic, partition, offset: message == null ? undefined : message.offset }
      if (opened.input != null) info.input = opened.input
      await opts.onReject(info)
      if (opts.onError === 'throw') throw new PortKafkaRejection(info)
      return
    }
    await handler(opened.run, payload)
  }
}

module.exports = { portEachMessage, PortKafkaRejection }
// For port-secret/lambda only.
Object.defineProperty(module.exports, '_internal', { value: { normalizeKafkaOptions, openKafkaValue } })
