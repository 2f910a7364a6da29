// decryptAsync keeps the event loop running: while 100 client-side decryptions run on the libuv
// thread pool, setImmediate and setInterval callbacks keep firing; the same 100 sync calls let
// none of them run until they are done.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import * as ps from 'port-secret'

import { keyFile } from './helpers.mjs'

const CALLS = 100
// RSA-4096 makes each decryption long enough (milliseconds) for the difference to be plain.
const privateKey = keyFile('rsa4096_pkcs8.pem')
const publicKey = keyFile('rsa4096_public.pem')

/** Counts event-loop turns (setImmediate) and timer ticks (setInterval 1 ms) until stopped. */
function tickCounter() {
  const counts = { immediate: 0, interval: 0 }
  let running = true
  const spin = () => {
    if (!running) return
    counts.immediate += 1
    setImmediate(spin)
  }
  setImmediate(spin)
  const timer = setInterval(() => {
    counts.interval += 1
  }, 1)
  return {
    counts,
    stop() {
      running = false
      clearInterval(timer)
      return { ...counts }
    },
  }
}

test(`the event loop turns during ${CALLS} decryptAsync calls, not during ${CALLS} sync calls`, async (t) => {
  const decryptor = new ps.Decryptor({ privateKey })
  const values = Array.from({ length: CALLS }, (_, i) => ps.encryptClientSide(`secret ${i}`, publicKey))

  // Sync: the ticks scheduled before the loop cannot run until it ends.
  let counter = tickCounter()
  let start = performance.now()
  const syncResults = values.map((v) => decryptor.decrypt(v, 'client-side'))
  const syncTicks = counter.stop()
  const syncMs = performance.now() - start

  // Async: the same work on the thread pool; the loop keeps turning while it runs.
  await new Promise((resolve) => setImmediate(resolve))
  counter = tickCounter()
  start = performance.now()
  const asyncResults = await Promise.all(values.map((v) => decryptor.decryptAsync(v, 'client-side')))
  const asyncTicks = counter.stop()
  const asyncMs = performance.now() - start

  assert.deepEqual(asyncResults, syncResults)
  assert.deepEqual(syncResults, values.map((_, i) => `secret ${i}`))
  t.diagnostic(`sync: ${syncMs.toFixed(0)} ms, ticks ${JSON.stringify(syncTicks)}`)
  t.diagnostic(`async: ${asyncMs.toFixed(0)} ms, ticks ${JSON.stringify(asyncTicks)}`)
  assert.deepEqual(syncTicks, { immediate: 0, interval: 0 }, 'the sync calls block the event loop')
  assert.ok(asyncTicks.immediate >= 10, `only ${asyncTicks.immediate} event-loop turns during the async calls`)
  assert.ok(asyncTicks.interval >= 1, 'no timer fired during the async calls')
})

test('decryptPropertiesAsync also runs off the event loop', async () => {
  const decryptor = new ps.Decryptor({ privateKey })
  const userInputs = { token: { type: 'string', encryption: { algorithm: 'client-side', key: publicKey } } }
  const counter = tickCounter()
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => decryptor.decryptPropertiesAsync({ token: ps.encryptClientSide(`t${i}`, publicKey) }, userInputs)),
  )
  const ticks = counter.stop()
  assert.deepEqual(results.map((r) => r.token), Array.from({ length: 20 }, (_, i) => `t${i}`))
  assert.ok(ticks.immediate >= 2, `only ${ticks.immediate} event-loop turns`)
})

test('a Decryptor can be dropped while its async calls are still running', async () => {
  const values = Array.from({ length: 8 }, () => ps.encryptClientSide('x', publicKey))
  const pending = values.map((v) => new ps.Decryptor({ privateKey }).decryptAsync(v, 'client-side'))
  globalThis.gc?.()
  assert.deepEqual(await Promise.all(pending), values.map(() => 'x'))
})
