// A Port action backend on AWS Lambda: `handler` behind API Gateway (REST or HTTP API) or a
// function URL gets Port's webhook; `kafkaHandler` behind an MSK or self-managed Kafka event source
// mapping gets the messages of Port's Kafka topic. Both open the run with one port-secret call
// (signature, parse, every secret input decrypted) before the code below runs.
//
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//
// It never logs or returns a secret value, only SHA-256 fingerprints.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const { Decryptor } = require('port-secret')
const { portWebhookHandler, portKafkaHandler } = require('port-secret/lambda')

/** Identifies a secret without revealing it (like a key ID): SHA-256, first 16 hex digits. */
function fingerprint(value) {
  return `sha256:${crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)}`
}

/** What a real backend would do with the inputs; here: describe them by name and fingerprint. */
function rotate(run) {
  const { payload } = run
  const secrets = {}
  for (const [name, definition] of Object.entries(payload.action.userInputs.properties)) {
    const value = payload.properties[name]
    if (!('encryption' in definition) || value == null) continue
    secrets[name] =
      typeof value === 'string'
        ? { type: 'string', bytes: Buffer.byteLength(value), fingerprint: fingerprint(value) }
        : { type: 'object', keys: Object.keys(value).sort() }
  }
  return { runId: run.context?.runId, action: run.action, entity: payload.entity?.identifier, secrets }
}

// Created once per execution environment, outside the handler: keys are parsed once.
const decryptor = new Decryptor({
  clientSecret: process.env.PORT_CLIENT_SECRET,
  privateKey: process.env.PORT_PRIVATE_KEY_FILE ? fs.readFileSync(process.env.PORT_PRIVATE_KEY_FILE, 'utf8') : undefined,
})

/** API Gateway REST (v1) / HTTP API (v2) / function URL: 200 with fingerprints, or 401/400/413. */
exports.handler = portWebhookHandler(decryptor, async (run) => {
  const result = rotate(run)
  console.log(`run ${result.runId}: rotated ${Object.keys(result.secrets).sort().join(', ')}`)
  return { ok: true, ...result }
})

/** MSK / self-managed Kafka: each verified run in order; a refused record is logged and skipped. */
exports.kafkaHandler = portKafkaHandler(
  decryptor,
  async (run, record) => {
    const result = rotate(run)
    console.log(`run ${result.runId} (${record.topic}/${record.partition}@${record.offset}): rotated ${Object.keys(result.secrets).sort().join(', ')}`)
  },
  {
    onReject: ({ code, input, topic, partition, offset }) =>
      console.warn(`refused ${topic}/${partition}@${offset}: ${code}${input ? ` (input ${input})` : ''}`),
  },
)
