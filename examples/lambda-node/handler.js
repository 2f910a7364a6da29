// A Port action backend on AWS Lambda: `handler` behind API Gateway (REST or HTTP API) or a
// function URL gets Port's webhook; `kafkaHandler` behind an MSK or self-managed Kafka event source
// mapping gets the messages of Port's Kafka topic. Both open the run with one port-secret call
// (signature, parse, every secret input decrypted) before the code below runs.
//
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//   DOWNSTREAM_URL=https://...      your service that applies the new credentials (optional)
//
// The values go only to DOWNSTREAM_URL: this file never logs or returns a secret value nor
// anything computed from one (no hash, length or part), only input names.
'use strict'

const fs = require('node:fs')
const { Decryptor } = require('port-secret')
const { portWebhookHandler, portKafkaHandler } = require('port-secret/lambda')

/** The run's secret inputs that arrived, decrypted: { name: value } (`object` inputs parsed). */
function secretInputs(run) {
  const { properties, action } = run.payload
  const secrets = {}
  for (const [name, definition] of Object.entries(action.userInputs.properties)) {
    if ('encryption' in definition && properties[name] != null) secrets[name] = properties[name]
  }
  return secrets
}

/** Uses the values: POSTs them to your service at DOWNSTREAM_URL. Without it, only holds them. */
async function rotate(runId, secrets) {
  if (!process.env.DOWNSTREAM_URL) return
  const res = await fetch(process.env.DOWNSTREAM_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ runId, secrets }),
  })
  if (!res.ok) throw new Error(`downstream failed (status ${res.status})`)
}

// Created once per execution environment, outside the handler: keys are parsed once.
const decryptor = new Decryptor({
  clientSecret: process.env.PORT_CLIENT_SECRET,
  privateKey: process.env.PORT_PRIVATE_KEY_FILE ? fs.readFileSync(process.env.PORT_PRIVATE_KEY_FILE, 'utf8') : undefined,
})

/** API Gateway REST (v1) / HTTP API (v2) / function URL: 200 with input names, or 401/400/413/502. */
exports.handler = portWebhookHandler(decryptor, async (run) => {
  const runId = run.context?.runId
  const secrets = secretInputs(run)
  const names = Object.keys(secrets).sort()
  try {
    await rotate(runId, secrets)
  } catch (error) {
    console.error(`run ${runId}: downstream failed (${error.cause?.code ?? error.message})`)
    return { statusCode: 502, headers: { 'content-type': 'application/json' }, body: '{"error":"downstream_failed"}' }
  }
  console.log(`run ${runId}: rotated with ${names.join(', ')}`) // names only, never a value
  return { ok: true, runId, action: run.action, entity: run.payload.entity?.identifier, secrets: names }
})

/**
 * MSK / self-managed Kafka: each verified run in order; a refused record is logged and skipped; a
 * downstream failure fails the invocation, and Lambda retries the batch.
 */
exports.kafkaHandler = portKafkaHandler(
  decryptor,
  async (run, record) => {
    const secrets = secretInputs(run)
    await rotate(run.context?.runId, secrets)
    console.log(`run ${run.context?.runId} (${record.topic}/${record.partition}@${record.offset}): rotated with ${Object.keys(secrets).sort().join(', ')}`)
  },
  {
    onReject: ({ code, input, topic, partition, offset }) =>
      console.warn(`refused ${topic}/${partition}@${offset}: ${code}${input ? ` (input ${input})` : ''}`),
  },
)
