// Sends the demo run (../demo/body.json) to the topic as Port would: a message whose `headers`
// carry X-Port-Signature / X-Port-Timestamp, HMAC-SHA256 keyed with the client secret over
// "<timestamp>." + the message's compact JSON without them; then a tampered copy, which the
// consumer refuses. For trying consumer.js without Port.
//
//   KAFKA_BOOTSTRAP=host:port PORT_CLIENT_SECRET=... node produce.js [body.json]
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { Kafka, logLevel } = require('kafkajs')

const secret = process.env.PORT_CLIENT_SECRET
const topic = process.env.PORT_KAFKA_TOPIC || 'port-runs'
const body = JSON.parse(fs.readFileSync(process.argv[2] || path.join(__dirname, '..', 'demo', 'body.json'), 'utf8'))

function portMessage(run, timestamp = Math.floor(Date.now() / 1000)) {
  // For an ASCII message without floats, JSON.stringify is Python's compact json.dumps.
  const message = { ...run, headers: {} }
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${JSON.stringify(message)}`).digest('base64')
  message.headers = { 'X-Port-Signature': `v1,${mac}`, 'X-Port-Timestamp': String(timestamp) }
  return JSON.stringify(message)
}

async function main() {
  const kafka = new Kafka({ clientId: 'port-secret-example-producer', brokers: process.env.KAFKA_BOOTSTRAP.split(','), logLevel: logLevel.WARN })
  const producer = kafka.producer()
  await producer.connect()
  const valid = portMessage(body)
  const tampered = valid.replace('"reason"', '"Reason"')
  await producer.send({ topic, messages: [{ key: body.context?.runId ?? null, value: valid }, { value: tampered }] })
  await producer.disconnect()
  console.log(`sent 2 messages to ${topic} (one signed run, one tampered)`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
