// A Port action backend that consumes Port's Kafka topic with kafkajs: each message is a run of
// "Rotate database credentials", opened with one port-secret call (the signature and timestamp
// inside the message, every secret input decrypted) before the code below runs. A message that
// does not verify is logged (code and coordinates) and skipped: the consumer never stops on it.
//
//   KAFKA_BOOTSTRAP=host:port[,...] brokers (required)
//   PORT_KAFKA_TOPIC=ORG_ID.runs    the topic (Port's is "<your org id>.runs"; default port-runs)
//   KAFKA_GROUP_ID=...              consumer group (default port-secret-example)
//   KAFKA_USERNAME / KAFKA_PASSWORD SASL/SCRAM-SHA-512 over TLS, as Port's brokers take them
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//   DOWNSTREAM_URL=https://...      your service that applies the new credentials (optional)
//
// The values go only to DOWNSTREAM_URL: it never logs a secret value nor anything computed from
// one (no hash, length or part), only input names.
'use strict'

const fs = require('node:fs')
const { Kafka, logLevel } = require('kafkajs')
const { Decryptor } = require('port-secret')
const { portEachMessage } = require('port-secret/kafkajs')

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

const decryptor = new Decryptor({
  clientSecret: process.env.PORT_CLIENT_SECRET,
  privateKey: process.env.PORT_PRIVATE_KEY_FILE ? fs.readFileSync(process.env.PORT_PRIVATE_KEY_FILE, 'utf8') : undefined,
})

const topic = process.env.PORT_KAFKA_TOPIC || 'port-runs'
const sasl = process.env.KAFKA_USERNAME
  ? { ssl: true, sasl: { mechanism: 'scram-sha-512', username: process.env.KAFKA_USERNAME, password: process.env.KAFKA_PASSWORD } }
  : {}
const kafka = new Kafka({
  clientId: 'port-secret-example',
  brokers: String(process.env.KAFKA_BOOTSTRAP || '').split(',').filter(Boolean),
  logLevel: logLevel.WARN,
  ...sasl,
})
const consumer = kafka.consumer({ groupId: process.env.KAFKA_GROUP_ID || 'port-secret-example' })

const eachMessage = portEachMessage(
  decryptor,
  async (run, { partition, message }) => {
    const secrets = secretInputs(run)
    await rotate(run.context?.runId, secrets) // throws on failure: kafkajs retries the message
    console.log(`run ${run.context?.runId} (${topic}/${partition}@${message.offset}): rotated with ${Object.keys(secrets).sort().join(', ')}`)
  },
  {
    // onError: 'skip' (the default): report and go on. 'throw' would stop the partition on it.
    onReject: ({ code, input, partition, offset }) => console.warn(`refused ${topic}/${partition}@${offset}: ${code}${input ? ` (input ${input})` : ''}`),
  },
)

async function main() {
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({ eachMessage })
  console.log(`consuming ${topic}`)
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    consumer.disconnect().finally(() => process.exit(0))
  })
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
