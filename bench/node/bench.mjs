// Node benchmark: port-secret against what a Node backend would otherwise write with node:crypto.
//
//   node --expose-gc bench/node/bench.mjs [--rounds 7] [--json out.json] [--quick]
//
// Run it where `import 'port-secret'` resolves to the installed package (scripts/bench.sh installs
// the packed tarball into a temporary project and runs this file from there).
//
// Every comparison runs the competitors back to back inside each round (so a burst of load from
// another process hits both), takes the per-call time of each, and reports the median over the
// rounds of each time and the median of the per-round ratios.
//
// Baselines, written here from what Port's docs do (not copied):
// - aes256-gcm: base64-decode, split IV (16) | ciphertext | tag (16), createDecipheriv per call
//   with the key Buffer made once (the best a user would write; the docs make it per request),
//   setAuthTag, update + final, toString('utf8').
// - client-side: the same with privateDecrypt (OAEP, SHA-256) on a KeyObject made once (the docs
//   call createPrivateKey on every request; that variant is printed too, for information).
import { Buffer } from 'node:buffer'
import crypto from 'node:crypto'
import { availableParallelism } from 'node:os'
import { writeFileSync } from 'node:fs'

import { Decryptor, encryptAes256Gcm, encryptClientSide, generateKeyPair } from 'port-secret'

const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const QUICK = args.includes('--quick')
const ROUNDS = Number(opt('--rounds', QUICK ? 3 : 7))
const ROUND_MS = Number(opt('--round-ms', QUICK ? 60 : 250))
const jsonOut = opt('--json', null)

const SECRET = 'bench-client-secret-0123456789abcdefghijklmnopqrstuvwxyz'
const results = { language: 'node', node: process.version, cores: availableParallelism(), rounds: ROUNDS, cases: {} }

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const now = () => process.hrtime.bigint()

/** Calls fn n times, returns ns per call. */
function timeCalls(fn, n) {
  const t0 = now()
  for (let i = 0; i < n; i++) fn()
  return Number(now() - t0) / n
}

/** Calls per round so that one round of fn takes about ROUND_MS. */
function calibrate(fn) {
  let n = 1
  for (;;) {
    const t0 = now()
    for (let i = 0; i < n; i++) fn()
    const ms = Number(now() - t0) / 1e6
    if (ms >= ROUND_MS / 4) return Math.max(1, Math.ceil((n * ROUND_MS) / Math.max(ms, 1e-3)))
    n *= 4
  }
}

/**
 * Runs each of `fns` (name -> sync fn) for ROUNDS rounds, interleaved. Returns
 * {name: {ns: median ns/call, samples}}.
 */
function compare(fns) {
  const names = Object.keys(fns)
  const counts = Object.fromEntries(names.map((n) => [n, calibrate(fns[n])]))
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (const n of names) samples[n].push(timeCalls(fns[n], counts[n]))
  }
  return Object.fromEntries(names.map((n) => [n, { ns: median(samples[n]), samples }]))
}

/** Median over rounds of samples[base][r] / samples[ours][r]: how many times faster ours is. */
function pairedRatio(res, ours, base) {
  const s = res[ours].samples
  return median(s[base].map((b, r) => b / s[ours][r]))
}

function record(id, label, res, ours, base, extra = {}) {
  const ratio = pairedRatio(res, ours, base)
  results.cases[id] = { label, ours_ns: res[ours].ns, base_ns: res[base].ns, ratio, ...extra }
  const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(2)} µs`)
  console.log(`${label.padEnd(58)} ours ${fmt(res[ours].ns).padStart(10)}  base ${fmt(res[base].ns).padStart(10)}  ${ratio.toFixed(2)}x`)
  return ratio
}

// ---------------------------------------------------------------- aes256-gcm
const decryptor = new Decryptor({ clientSecret: SECRET })
const AES_KEY = Buffer.from(SECRET.substring(0, 32))
const AES_KEY_OBJECT = crypto.createSecretKey(AES_KEY)

function nodeAesGcm(value, key) {
  const raw = Buffer.from(value, 'base64')
  const iv = raw.subarray(0, 16)
  const data = raw.subarray(16, raw.length - 16)
  const tag = raw.subarray(raw.length - 16)
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv)
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')
}

for (const [size, len] of [['100B', 100], ['64KiB', 65536]]) {
  const plaintext = 'x'.repeat(len)
  const value = encryptAes256Gcm(plaintext, SECRET)
  if (decryptor.decrypt(value, 'aes256-gcm') !== plaintext) throw new Error('port-secret round trip')
  if (nodeAesGcm(value, AES_KEY) !== plaintext) throw new Error('node:crypto round trip')
  if (nodeAesGcm(value, AES_KEY_OBJECT) !== plaintext) throw new Error('node:crypto KeyObject round trip')
  const res = compare({
    ours: () => decryptor.decrypt(value, 'aes256-gcm'),
    nodeBuffer: () => nodeAesGcm(value, AES_KEY),
    nodeKeyObject: () => nodeAesGcm(value, AES_KEY_OBJECT),
  })
  // The baseline is whichever key form is faster here: the best a user would write.
  const base = res.nodeBuffer.ns <= res.nodeKeyObject.ns ? 'nodeBuffer' : 'nodeKeyObject'
  const mbps = (ns) => (len / ns) * 1e3
  record(`aes256-gcm/${size}`, `aes256-gcm ${size} decrypt: Decryptor.decrypt vs node:crypto (${base === 'nodeBuffer' ? 'key Buffer' : 'KeyObject'})`, res, 'ours', base, {
    ours_mbps: mbps(res.ours.ns),
    base_mbps: mbps(res[base].ns),
    base_variant: base,
  })
}

// ---------------------------------------------------------------- client-side RSA-2048
const { privateKey, publicKey } = generateKeyPair(2048)
const rsaDecryptor = new Decryptor({ privateKey })
const PRIVATE_KEY_OBJECT = crypto.createPrivateKey(privateKey)
const RSA_BYTES = PRIVATE_KEY_OBJECT.asymmetricKeyDetails.modulusLength / 8

function nodeClientSide(value, keyObject) {
  const raw = Buffer.from(value, 'base64')
  const iv = raw.subarray(0, 12)
  const wrapped = raw.subarray(12, 12 + RSA_BYTES)
  const rest = raw.subarray(12 + RSA_BYTES)
  const aesKey = crypto.privateDecrypt({ key: keyObject, oaepHash: 'sha256', padding: crypto.constants.RSA_PKCS1_OAEP_PADDING }, wrapped)
  const decipher = crypto.createDecipheriv('aes-256-gcm', aesKey, iv)
  decipher.setAuthTag(rest.subarray(rest.length - 16))
  return Buffer.concat([decipher.update(rest.subarray(0, rest.length - 16)), decipher.final()]).toString('utf8')
}

const csPlain = 'x'.repeat(100)
const csValue = encryptClientSide(csPlain, publicKey)
if (rsaDecryptor.decrypt(csValue, 'client-side') !== csPlain) throw new Error('client-side round trip')
if (nodeClientSide(csValue, PRIVATE_KEY_OBJECT) !== csPlain) throw new Error('node client-side round trip')
{
  const res = compare({
    ours: () => rsaDecryptor.decrypt(csValue, 'client-side'),
    node: () => nodeClientSide(csValue, PRIVATE_KEY_OBJECT),
    nodeDocs: () => nodeClientSide(csValue, crypto.createPrivateKey(privateKey)),
  })
  record('client-side/100B', 'client-side RSA-2048 100B: Decryptor.decrypt vs node:crypto (KeyObject once)', res, 'ours', 'node', {
    ours_per_s: 1e9 / res.ours.ns,
    base_per_s: 1e9 / res.node.ns,
  })
  record('client-side/100B-docs', 'client-side RSA-2048 100B: vs the docs as written (createPrivateKey per call)', res, 'ours', 'nodeDocs')
}

// ---------------------------------------------------------------- decryptAsync concurrency
/** Decrypts `values` with at most `width` decryptAsync calls in flight; resolves with ns per call. */
let lastCores = 0 // CPU cores busy (all threads: main + libuv pool) during the last asyncBatch
async function asyncBatch(d, values, enc, width) {
  const c0 = process.cpuUsage()
  const t0 = now()
  let next = 0
  const worker = async () => {
    while (next < values.length) {
      const v = values[next++]
      await d.decryptAsync(v, enc)
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, values.length) }, worker))
  const ns = Number(now() - t0)
  const cpu = process.cpuUsage(c0)
  lastCores = ((cpu.user + cpu.system) * 1000) / ns
  return ns / values.length
}
function syncBatch(d, values, enc) {
  const c0 = process.cpuUsage()
  const t0 = now()
  for (const v of values) d.decrypt(v, enc)
  const ns = Number(now() - t0)
  const cpu = process.cpuUsage(c0)
  lastCores = ((cpu.user + cpu.system) * 1000) / ns
  return ns / values.length
}

async function concurrency(label, idPrefix, d, value, enc, widths) {
  // Enough calls for a round of about ROUND_MS of sync work.
  const perCall = timeCalls(() => d.decrypt(value, enc), 20)
  const calls = Math.max(64, Math.ceil((ROUND_MS * 1e6) / perCall))
  const values = Array.from({ length: calls }, () => value)
  for (const w of widths) await asyncBatch(d, values.slice(0, 64), enc, w) // warm up
  const sync = []
  const asyncs = Object.fromEntries(widths.map((w) => [w, []]))
  const cores = Object.fromEntries(widths.map((w) => [w, []]))
  const syncCores = []
  for (let r = 0; r < ROUNDS; r++) {
    sync.push(syncBatch(d, values, enc))
    syncCores.push(lastCores)
    for (const w of widths) {
      asyncs[w].push(await asyncBatch(d, values, enc, w))
      cores[w].push(lastCores)
    }
  }
  const syncNs = median(sync)
  for (const w of widths) {
    const ratio = median(asyncs[w].map((a, r) => sync[r] / a))
    // Work per CPU-second, async vs sync: about 1.0 unless the async path adds work or serializes
    // (on a busy machine the ratio is capped by the cores the other processes leave free).
    const efficiency = median(asyncs[w].map((a, r) => (sync[r] * syncCores[r]) / (a * cores[w][r])))
    const asyncNs = median(asyncs[w])
    results.cases[`${idPrefix}/async-${w}`] = {
      label: `${label}: decryptAsync, ${w} in flight vs sync`,
      ours_ns: asyncNs,
      base_ns: syncNs,
      ratio,
      ours_per_s: 1e9 / asyncNs,
      base_per_s: 1e9 / syncNs,
      cores_busy: median(cores[w]),
      cpu_efficiency: efficiency,
    }
    console.log(`${`${label}: decryptAsync ${w} in flight vs sync`.padEnd(58)} async ${(1e9 / asyncNs).toFixed(0).padStart(8)}/s  sync ${(1e9 / syncNs).toFixed(0).padStart(8)}/s  ${ratio.toFixed(2)}x  (${median(cores[w]).toFixed(2)} cores busy, work per CPU-second ${efficiency.toFixed(2)}x of sync)`)
  }
}

await concurrency('client-side RSA-2048', 'client-side', rsaDecryptor, csValue, 'client-side', [1, 2, 4, 16])
await concurrency('aes256-gcm 100B', 'aes256-gcm/100B', decryptor, encryptAes256Gcm('x'.repeat(100), SECRET), 'aes256-gcm', [16])

// ---------------------------------------------------------------- memory: 100 000 decrypts
// RSS is measured after a full GC before and after. V8 sizes its heap reservation (heapTotal) by
// its own policy (it steps up under the promise churn of decryptAsync even though the live heap
// stays flat), so the native memory is RSS - heapTotal; a leak would show there or in heapUsed.
async function memory() {
  const gc = globalThis.gc ?? (() => {})
  const value = encryptAes256Gcm('x'.repeat(100), SECRET)
  const mib = (b) => b / 1048576
  const snap = () => {
    gc()
    const m = process.memoryUsage()
    return { rss: m.rss, native: m.rss - m.heapTotal, heapUsed: m.heapUsed, heapTotal: m.heapTotal }
  }
  const N = 100000
  // Warm up (JIT, V8 heap sizing, allocator arenas) on both paths.
  for (let i = 0; i < 50000; i++) decryptor.decrypt(value, 'aes256-gcm')
  await asyncBatch(decryptor, Array.from({ length: 50000 }, () => value), 'aes256-gcm', 64)
  const before = snap()
  for (let i = 0; i < N; i++) decryptor.decrypt(value, 'aes256-gcm')
  const afterSync = snap()
  await asyncBatch(decryptor, Array.from({ length: N }, () => value), 'aes256-gcm', 64)
  const after = snap()
  // Client-side: 10 000 decrypts (RSA is slow; the allocations per call are the same shape).
  for (let i = 0; i < 2000; i++) rsaDecryptor.decrypt(csValue, 'client-side')
  const beforeRsa = snap()
  for (let i = 0; i < 10000; i++) rsaDecryptor.decrypt(csValue, 'client-side')
  const afterRsa = snap()
  results.memory = {
    decrypts: 2 * N,
    rss_before_mib: mib(before.rss),
    rss_after_sync_mib: mib(afterSync.rss),
    rss_after_async_mib: mib(after.rss),
    rss_growth_mib: mib(after.rss - before.rss),
    native_growth_mib: mib(after.native - before.native),
    heap_used_growth_mib: mib(after.heapUsed - before.heapUsed),
    heap_total_growth_mib: mib(after.heapTotal - before.heapTotal),
    rsa_native_growth_mib: mib(afterRsa.native - beforeRsa.native),
    rsa_rss_growth_mib: mib(afterRsa.rss - beforeRsa.rss),
    gc_exposed: globalThis.gc !== undefined,
  }
  const m = results.memory
  console.log(`memory: RSS ${mib(before.rss).toFixed(1)} -> ${mib(afterSync.rss).toFixed(1)} MiB after ${N} decrypt -> ${mib(after.rss).toFixed(1)} MiB after ${N} decryptAsync; ` +
    `RSS - heapTotal ${m.native_growth_mib >= 0 ? '+' : ''}${m.native_growth_mib.toFixed(2)} MiB, heapUsed ${m.heap_used_growth_mib.toFixed(2)} MiB, heapTotal ${m.heap_total_growth_mib.toFixed(2)} MiB; ` +
    `client-side 10000: RSS - heapTotal ${m.rsa_native_growth_mib.toFixed(2)} MiB`)
}
await memory()

if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1))
