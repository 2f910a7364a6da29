// The adapter examples, each started by its README's command in an installed copy (E2E_WEB_DIR,
// E2E_LAMBDA_DIR, E2E_KAFKA_DIR; default: the examples/ directories): examples/web (Hono) gets
// signed runs and every bad case over HTTP; examples/lambda-node's local invoke runs its handlers
// on API Gateway, function URL and MSK events; examples/kafka-node consumes a real topic
// (KAFKA_BOOTSTRAP; skipped without it). Each hands the decrypted values to its DOWNSTREAM_URL, a
// real HTTP server here that checks them exactly; none may print or return a decrypted value or
// anything computed from one (a hash, a part of an object).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'

import { assertNothingDerived, demo, demoDir, encryptServer, freePort, plaintexts, post, root, runBody, sign, startDownstream } from './port.mjs'

const ALL = ['db_connection', 'db_password', 'tls_certificate', 'vendor_api_key']
/** The decrypted values of examples/demo/body.json (r_DEMO0001). */
const demoValues = (() => {
  const { reason, ...secrets } = JSON.parse(readFileSync(join(demoDir, 'expected.json'), 'utf8')).payload.properties
  assert.equal(reason, 'quarterly rotation')
  return secrets
})()
const allValues = [...Object.values(demoValues), ...Object.values(plaintexts), demo.clientSecret]

function assertNoSecret(text, where) {
  assertNothingDerived(text, allValues, where)
}

let downstream
before(async () => {
  downstream = await startDownstream()
})
after(() => downstream?.close())

const env = { PORT_CLIENT_SECRET: demo.clientSecret, PORT_PRIVATE_KEY_FILE: demo.privateKeyFile }

/** Starts `npm <args>` in `cwd` (its own process group); collects its output. */
function start(cwd, args, extraEnv = {}) {
  const child = spawn('npm', args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, ...extraEnv } })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    child,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      process.kill(-child.pid, 'SIGTERM')
      const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

async function until(check, ms, what, proc) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${what}: exited (${proc.child.exitCode}):\n${proc.output()}`)
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${proc ? `:\n${proc.output()}` : ''}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('examples/web (Hono on @hono/node-server, port-secret/web)', () => {
  let app
  let url
  before(async () => {
    const port = await freePort()
    app = start(process.env.E2E_WEB_DIR ?? join(root, 'examples', 'web'), ['start', '--silent'], { PORT: String(port), DOWNSTREAM_URL: downstream.url })
    url = `http://127.0.0.1:${port}`
    await until(
      () =>
        fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      30_000,
      'examples/web to listen',
      app,
    )
  })
  after(() => app?.stop())

  async function send(body, { secret = demo.clientSecret, timestamp } = {}) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body)
    return post(`${url}/port/actions`, raw, sign(raw, secret, timestamp))
  }

  test('a signed run (the demo body and a fresh one): the exact values handed downstream, only names answered', async () => {
    downstream.received.length = 0
    const demoBody = readFileSync(join(demoDir, 'body.json'), 'utf8')
    const first = await send(demoBody)
    assert.equal(first.status, 200, JSON.stringify(first.json))
    assert.deepEqual(first.json, { ok: true, runId: 'r_DEMO0001', action: 'rotate_database_credentials', entity: 'checkout-service', secrets: ALL })
    const body = await runBody()
    const { status, json } = await send(body)
    assert.equal(status, 200)
    assert.deepEqual(json, { ok: true, runId: body.context.runId, action: 'rotate_database_credentials', entity: 'checkout-service', secrets: ALL })
    assert.deepEqual(
      downstream.received.map((r) => r.body),
      [
        { runId: 'r_DEMO0001', secrets: demoValues },
        { runId: body.context.runId, secrets: plaintexts },
      ],
    )
    assertNoSecret(JSON.stringify([first.json, json]), 'examples/web answers')
  })

  test('the downstream service fails: 502 downstream_failed', async () => {
    downstream.status = 500
    try {
      assert.deepEqual(await send(await runBody()), { status: 502, json: { error: 'downstream_failed' } })
    } finally {
      downstream.status = 204
    }
  })

  test('every bad case: the answers of the Express helper', async () => {
    const raw = JSON.stringify(await runBody())
    assert.deepEqual(await post(`${url}/port/actions`, raw, {}), { status: 401, json: { error: 'invalid_signature' } })
    const headers = sign(raw, demo.clientSecret)
    assert.deepEqual(await post(`${url}/port/actions`, raw.replace('quarterly', 'Quarterly'), headers), {
      status: 401,
      json: { error: 'invalid_signature' },
    })
    assert.deepEqual(await send(raw, { timestamp: Math.floor(Date.now() / 1000) - 3600 }), { status: 401, json: { error: 'expired' } })
    assert.deepEqual(await send(raw, { secret: 'z'.repeat(48) }), { status: 401, json: { error: 'invalid_signature' } })
    const wrong = await runBody({ overrides: { db_password: encryptServer('x', 'z'.repeat(48)) } })
    assert.deepEqual(await send(wrong), { status: 400, json: { error: 'authentication_failed', input: 'db_password' } })
    const huge = await runBody()
    huge.payload.entity.padding = 'p'.repeat(4 * 1024 * 1024)
    assert.deepEqual(await send(huge), { status: 413, json: { error: 'body_too_large' } })
    assert.deepEqual(await send('{"not": json'), { status: 400, json: { error: 'invalid_json' } })
  })

  test('still serving, and no secret value in its output', async () => {
    assert.equal((await fetch(`${url}/healthz`)).status, 200)
    assertNoSecret(app.output(), 'examples/web')
    assert.match(app.output(), /run r_DEMO0001: rotated with db_connection, db_password, tls_certificate, vendor_api_key/)
  })
})

describe('examples/lambda-node (npm run invoke: API Gateway v1/v2, function URL, MSK)', () => {
  test('the signed deliveries: 200 with input names, the values downstream; unsigned and tampered: 401; the MSK batch: no failures', async () => {
    downstream.received.length = 0
    const proc = start(process.env.E2E_LAMBDA_DIR ?? join(root, 'examples', 'lambda-node'), ['run', 'invoke', '--silent'], { DOWNSTREAM_URL: downstream.url })
    const code = await proc.exited
    const output = proc.output()
    assert.equal(code, 0, output)
    const line = (name) => output.split('\n').find((l) => l.startsWith(`${name}: `))
    for (const name of ['apigw-rest (v1)', 'http-api (v2, base64 body)', 'function-url']) {
      const [, status, body] = line(name).match(/^[^:]+: (\d+) (.*)$/)
      assert.equal(status, '200', name)
      assert.deepEqual(JSON.parse(body), { ok: true, runId: 'r_DEMO0001', action: 'rotate_database_credentials', entity: 'checkout-service', secrets: ALL })
    }
    // Three webhook deliveries and the one valid MSK record: each handed the exact values.
    assert.deepEqual(
      downstream.received.map((r) => r.body),
      Array(4).fill({ runId: 'r_DEMO0001', secrets: demoValues }),
    )
    assert.equal(line('unsigned'), 'unsigned: 401 {"error":"invalid_signature"}')
    assert.equal(line('tampered'), 'tampered: 401 {"error":"invalid_signature"}')
    assert.equal(line('msk batch'), 'msk batch: {"batchItemFailures":[]}')
    assert.match(output, /run r_DEMO0001 \(port-runs\/0@0\): rotated with db_connection, db_password, tls_certificate, vendor_api_key/)
    assert.match(output, /refused port-runs\/0@1: invalid_signature/)
    assertNoSecret(output, 'examples/lambda-node')
  })
})

const bootstrap = process.env.KAFKA_BOOTSTRAP
describe('examples/kafka-node (kafkajs consumer, port-secret/kafkajs)', { skip: bootstrap ? false : 'KAFKA_BOOTSTRAP is unset: no broker' }, () => {
  test('consumes the signed demo run and refuses the tampered copy, no secret value in its output', async () => {
    const dir = process.env.E2E_KAFKA_DIR ?? join(root, 'examples', 'kafka-node')
    const kafkaEnv = {
      KAFKA_BOOTSTRAP: bootstrap,
      PORT_KAFKA_TOPIC: `port-runs-${randomUUID()}`,
      KAFKA_GROUP_ID: `example-${randomUUID()}`,
      DOWNSTREAM_URL: downstream.url,
    }
    downstream.received.length = 0
    const producer = start(dir, ['run', 'produce', '--silent'], kafkaEnv)
    assert.equal(await producer.exited, 0, producer.output())
    const consumer = start(dir, ['start', '--silent'], kafkaEnv)
    try {
      await until(() => /refused \S+\/0@1: invalid_signature/.test(consumer.output()), 60_000, 'the consumer to refuse the tampered message', consumer)
      assert.match(consumer.output(), /run r_DEMO0001 \(\S+\/0@0\): rotated with db_connection, db_password, tls_certificate, vendor_api_key/)
      assert.deepEqual(
        downstream.received.map((r) => r.body),
        [{ runId: 'r_DEMO0001', secrets: demoValues }],
      )
      assertNoSecret(consumer.output(), 'examples/kafka-node')
    } finally {
      await consumer.stop()
    }
  })
})
