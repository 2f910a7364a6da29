// port-secret/kafkajs in a real kafkajs consumer against a real broker (scripts/kafka-broker.sh;
// KAFKA_BOOTSTRAP=host:port): messages of Port's Kafka topic, signed as Port signs them, every bad
// case among them. By default the consumer reports each bad message and goes on (the valid runs
// after them are handled); with onError: 'throw' the bad message stops the partition. Skipped, with
// a message, when KAFKA_BOOTSTRAP is unset.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { after, before, describe, test } from 'node:test'

// The Port side shared with node/test (node:crypto only).
import { cases, clientSecret, kafkaMessage, plaintexts, runBody } from '../../node/test/port-side.mjs'

const require = createRequire(import.meta.url)
const bootstrap = process.env.KAFKA_BOOTSTRAP
const skip = bootstrap ? false : 'KAFKA_BOOTSTRAP is unset: start a broker (bash scripts/kafka-broker.sh start DIR) to run these'

/** Resolves when `check()` is true; rejects after `ms`. */
async function until(check, ms, what) {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('port-secret/kafkajs with a real broker', { skip }, () => {
  let kafka
  let admin
  let producer
  const consumers = []
  const { Kafka, logLevel } = skip ? {} : require('kafkajs')
  const { Decryptor } = require('port-secret')
  const { portEachMessage, PortKafkaRejection } = require('port-secret/kafkajs')
  const decryptor = new Decryptor({ clientSecret })

  before(async () => {
    kafka = new Kafka({ clientId: 'port-secret-e2e', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } })
    admin = kafka.admin()
    await admin.connect()
    producer = kafka.producer({ allowAutoTopicCreation: false })
    await producer.connect()
  })
  after(async () => {
    for (const consumer of consumers) await consumer.disconnect().catch(() => {})
    await producer?.disconnect().catch(() => {})
    await admin?.disconnect().catch(() => {})
  })

  async function topicWith(messages) {
    const topic = `port-runs-${randomUUID()}`
    // Room for the 2 MiB message (the broker's default cap is 1 MiB): the adapter's limit refuses it.
    const configEntries = [{ name: 'max.message.bytes', value: String(8 << 20) }]
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries }], waitForLeaders: true })
    await producer.send({ topic, messages: messages.map((value, i) => ({ key: `r_${i}`, value })) })
    return topic
  }

  async function consume(topic, eachMessage, extra = {}) {
    const consumer = kafka.consumer({
      groupId: `g-${randomUUID()}`,
      maxBytesPerPartition: 8 << 20,
      retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 },
      ...extra,
    })
    consumers.push(consumer)
    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    await consumer.run({ eachMessage })
    return consumer
  }

  test('default: every bad message reported with its code and skipped, the valid runs around them handled', async () => {
    const all = cases()
    const [valid] = all
    const bad = all.filter((c) => c.status !== 200)
    const topic = await topicWith([valid.message, ...bad.map((c) => c.message), kafkaMessage(runBody())])
    const runs = []
    const rejected = []
    await consume(
      topic,
      portEachMessage(
        decryptor,
        async (run, { message }) => {
          runs.push([message.offset, run.payload.properties.db_password, run.payload.properties.api_token])
        },
        { onReject: (info) => rejected.push(info) },
      ),
    )
    await until(() => runs.length + rejected.length === bad.length + 2, 30_000, 'every message')
    assert.deepEqual(runs, [
      ['0', plaintexts.db_password, plaintexts.api_token],
      [String(bad.length + 1), plaintexts.db_password, plaintexts.api_token],
    ])
    assert.deepEqual(
      rejected,
      bad.map((c, i) => ({ code: c.body.error, ...(c.body.input ? { input: c.body.input } : {}), topic, partition: 0, offset: String(i + 1) })),
    )
  })

  test("onError: 'throw': the bad message is thrown to kafkajs (retried, then the consumer crashes), nothing after it handled", async () => {
    const all = cases()
    const stale = all.find((c) => c.body?.error === 'expired')
    const topic = await topicWith([all[0].message, stale.message, all[0].message])
    const runs = []
    const rejected = []
    let crash
    const consumer = await consume(
      topic,
      portEachMessage(decryptor, async (run, { message }) => runs.push(message.offset), {
        onError: 'throw',
        onReject: (info) => rejected.push(info.offset),
      }),
      { restartOnFailure: async () => false },
    )
    consumer.on(consumer.events.CRASH, (event) => {
      crash = event.payload.error
    })
    await until(() => crash !== undefined, 30_000, 'the consumer to crash')
    // kafkajs wraps it once its retries are spent (KafkaJSNumberOfRetriesExceeded).
    const rejection = crash instanceof PortKafkaRejection ? crash : (crash.originalError ?? crash.cause)
    assert.ok(rejection instanceof PortKafkaRejection, String(crash))
    assert.deepEqual([rejection.code, rejection.topic, rejection.partition, rejection.offset], ['expired', topic, 0, '1'])
    assert.deepEqual(runs, ['0'])
    assert.ok(rejected.length >= 1 && rejected.every((offset) => offset === '1'), JSON.stringify(rejected))
  })
})
