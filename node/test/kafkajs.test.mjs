// port-secret/kafkajs with payloads in kafkajs' EachMessagePayload shape (tests/e2e/kafka.test.mjs
// runs it in a real consumer against a broker): every case reaches the handler or is reported with
// its code and coordinates, then skipped or thrown as asked.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { describe, test } from 'node:test'

import { cases, clientSecret, plaintexts } from './port-side.mjs'

const require = createRequire(import.meta.url)
const { Decryptor } = require('port-secret')
const { portEachMessage, PortKafkaRejection } = require('port-secret/kafkajs')

const decryptor = new Decryptor({ clientSecret })

/** kafkajs' EachMessagePayload for a message value (Buffer, as kafkajs gives it). */
function payload(value, offset = '42', partition = 3) {
  return {
    topic: 'org_TEST.runs',
    partition,
    message: {
      key: Buffer.from('r_1'),
      value: value == null ? null : Buffer.from(value),
      timestamp: String(Date.now()),
      attributes: 0,
      offset,
      size: 0,
      headers: {},
    },
    heartbeat: async () => {},
    pause: () => () => {},
  }
}

describe('portEachMessage(decryptor, handler)', () => {
  for (const c of cases()) {
    test(`${c.name}: ${c.status === 200 ? 'the handler gets the run' : `reported as ${c.body.error}, skipped`}`, async () => {
      const runs = []
      const rejected = []
      const eachMessage = portEachMessage(
        decryptor,
        (run, p) => {
          runs.push([p.topic, p.partition, p.message.offset, run.payload.properties.db_password, run.payload.properties.api_token])
        },
        { onReject: (info) => rejected.push(info) },
      )
      assert.equal(await eachMessage(payload(c.message)), undefined)
      if (c.status === 200) {
        assert.deepEqual(runs, [['org_TEST.runs', 3, '42', plaintexts.db_password, plaintexts.api_token]])
        assert.deepEqual(rejected, [])
      } else {
        assert.deepEqual(runs, [])
        const expected = { code: c.body.error, topic: 'org_TEST.runs', partition: 3, offset: '42' }
        if (c.body.input) expected.input = c.body.input
        assert.deepEqual(rejected, [expected])
      }
    })
  }

  test("onError: 'throw' throws a PortKafkaRejection with the code and coordinates (after reporting)", async () => {
    const reported = []
    const eachMessage = portEachMessage(decryptor, () => assert.fail('called'), { onError: 'throw', onReject: (info) => reported.push(info.code) })
    for (const c of cases().filter((c) => c.status !== 200)) {
      const error = await eachMessage(payload(c.message, '7', 1)).then(
        () => assert.fail('resolved'),
        (e) => e,
      )
      assert.ok(error instanceof PortKafkaRejection, c.name)
      assert.equal(error.name, 'PortKafkaRejection')
      assert.deepEqual([error.code, error.input, error.topic, error.partition, error.offset], [c.body.error, c.body.input, 'org_TEST.runs', 1, '7'])
      for (const secret of Object.values(plaintexts)) assert.ok(!`${error.message}${error.stack}`.includes(secret))
    }
    assert.equal(reported.length, cases().length - 1)
  })

  test('the default report is one console.warn line, no value; a tombstone is refused, not thrown', async (t) => {
    const lines = []
    t.mock.method(console, 'warn', (line) => lines.push(line))
    const eachMessage = portEachMessage(decryptor, () => assert.fail('called'))
    await eachMessage(payload(cases().find((c) => c.body?.input).message))
    await eachMessage(payload(null, '43'))
    assert.equal(lines.length, 2)
    assert.equal(lines[0], 'port-secret: refused a Kafka message at org_TEST.runs/3@42: authentication_failed (input "db_password")')
    assert.match(lines[1], /^port-secret: refused a Kafka message at org_TEST\.runs\/3@43: [a-z_]+$/)
  })

  test("the handler's own errors propagate to kafkajs", async () => {
    const eachMessage = portEachMessage(decryptor, () => {
      throw new Error('database down')
    })
    await assert.rejects(eachMessage(payload(cases()[0].message)), /database down/)
  })

  test('options apply: limit, tolerance, verifySignature', async () => {
    const [valid] = cases()
    const rejected = []
    const onReject = (info) => rejected.push(info.code)
    await portEachMessage(decryptor, () => assert.fail('called'), { limit: 100, onReject })(payload(valid.message))
    const stale = cases().find((c) => c.body?.error === 'expired')
    let runs = 0
    await portEachMessage(decryptor, () => (runs += 1), { tolerance: 7200, onReject })(payload(stale.message))
    const unsigned = cases().find((c) => c.name === 'unsigned')
    await portEachMessage(decryptor, () => (runs += 1), { verifySignature: false, onReject })(payload(unsigned.message))
    assert.deepEqual([rejected, runs], [['body_too_large'], 2])
  })

  test('set-up errors are TypeErrors', () => {
    assert.throws(() => portEachMessage(decryptor), TypeError)
    assert.throws(() => portEachMessage({}, () => {}), TypeError)
    assert.throws(() => portEachMessage(decryptor, () => {}, { onError: 'retry' }), TypeError)
    assert.throws(() => portEachMessage(decryptor, () => {}, { onReject: 1 }), TypeError)
    assert.throws(() => portEachMessage(decryptor, () => {}, { limit: -1 }), TypeError)
  })
})
