// Soak (not a unit test): ONE port-secret Decryptor shared by many concurrent operations for
// SOAK_SECONDS (default 10); counts operations and wrong outcomes and watches resident memory.
//
//   cd <dir whose node_modules holds port-secret> && node --expose-gc /path/to/bench/soak/soak.mjs
//
// A napi object cannot cross worker_threads, so "many threads" here is: SOAK_THREADS (default 8)
// lanes, each keeping one decryptAsync / decryptPropertiesAsync call in flight on the shared
// Decryptor (they run on the libuv pool: UV_THREADPOOL_SIZE, set to SOAK_THREADS when unset),
// plus sync calls on the main thread between them, plus SOAK_NODE_WORKERS (default 2)
// worker_threads that each load the addon, build their own Decryptor, run the mix synchronously
// for about a second and exit, over and over (the addon's per-environment setup and teardown).
//
// The mix is the one of soak.py: cases.py's selection (run here with --json; workers get it
// from the main thread)
// plus values made at start with the package's encrypt functions and bad values. A wrong
// outcome is any result other than the expected plaintext / properties, or any error other
// than a PortSecretError with exactly the expected code (and input, for decryptProperties).
// Exit status 0 when nothing was wrong and RSS (after global.gc()) grew by at most
// SOAK_RSS_BOUND_MIB (default 16) between the end of the warm-up and the end.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

const THREADS = Number(process.env.SOAK_THREADS || 8)
const SECONDS = Number(process.env.SOAK_SECONDS || 10)
const WORKERS = Number(process.env.SOAK_NODE_WORKERS ?? 2)
// Deliberately loose: a leak of even a few bytes per operation adds up to far more than this over
// a soak, while V8 heap and allocator noise stays under it. It catches leaks per op, not noise.
const RSS_BOUND_KIB = Math.round(Number(process.env.SOAK_RSS_BOUND_MIB || 16) * 1024)
const MAX_REPORTED = 10
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(THREADS) // before the pool's first use

const ROOT = resolve(process.env.PORT_SECRET_REPO || join(dirname(fileURLToPath(import.meta.url)), '..', '..'))

/** `port-secret` as installed where the soak runs (the current directory), not the checkout. */
function loadPackage(from) {
  const require = createRequire(join(from, 'soak.cjs'))
  return { ps: require('port-secret'), path: require.resolve('port-secret') }
}

/** The same base64 text with its middle character changed (as cases.py's tamper). */
function tamper(value) {
  const i = Math.floor(value.length / 2)
  return value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1)
}

/** cases.py's keys and fixed cases (one selection for Python, Node and C), with JS names. */
function fixedCases() {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'cases.py')
  const out = execFileSync(process.env.PYTHON || 'python3', [script, ROOT, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 })
  const { secrets, private_keys: privateKeys, public_keys: publicKeys, cases } = JSON.parse(out)
  const js = ({ user_inputs: userInputs, ...c }) => (userInputs === undefined ? c : { ...c, userInputs })
  return { secrets, privateKeys, publicKeys, cases: cases.map(js) }
}

/** Values made now with the package's encrypt functions, and bad values made from them (as soak.py). */
function selfMade(ps, data) {
  const { demo, vectors: vec } = data.secrets
  const pub = data.publicKeys
  const big = 'x'.repeat(64 * 1024)
  const text = 'pässwörd 🔑 with\nnew line'
  const aes = ps.encryptAes256Gcm('pw', demo)
  const fer = ps.encryptFernet(text, demo)
  const cs = ps.encryptClientSide('pw', pub.demo)
  const c = (label, value, encryption, expect, output = null) => ({ label, kind: 'decrypt', value, encryption, expect, output, input: null })
  const auth = 'authentication_failed'
  return [
    c('self aes256-gcm', aes, 'aes256-gcm', 'ok', 'pw'),
    c('self aes256-gcm, Buffer value', Buffer.from(aes), 'aes256-gcm', 'ok', 'pw'),
    c('self aes256-gcm 64 KiB, second secret', ps.encryptAes256Gcm(big, vec), 'aes256-gcm', 'ok', big),
    c('self fernet', fer, 'fernet', 'ok', text),
    c('self fernet, second secret', ps.encryptFernet('pw', vec), 'fernet', 'ok', 'pw'),
    c('self client-side, key named', cs, { algorithm: 'client-side', key: pub.demo }, 'ok', 'pw'),
    c('self client-side, third key, key not named', ps.encryptClientSide(text, pub.rsa2048b), 'client-side', 'ok', text),
    c('self aes256-gcm tampered', tamper(aes), 'aes256-gcm', auth),
    c('self fernet tampered', tamper(fer), 'fernet', auth),
    c('self client-side tampered', tamper(cs), 'client-side', auth),
    c('not base64', 'not base64!', 'aes256-gcm', 'invalid_base64'),
    c("fernet token with '+'", fer.slice(0, 10) + '+' + fer.slice(11), 'fernet', 'invalid_base64'),
    c('too short', 'AAAA', 'aes256-gcm', 'malformed'),
    c('unsupported encryption', aes, 'rot13', 'unsupported_encryption'),
  ]
}

/** Checks one outcome: '' when it is the expected one, else what went wrong. */
function judge(ps, c, got, error) {
  if (error !== undefined) {
    if (!(error instanceof ps.PortSecretError)) return `unexpected ${error?.name}: ${error?.message}`
    const want = `ERR_PORT_SECRET_${c.expect.toUpperCase()}`
    if (error.code === want && (error.input ?? null) === c.input) return ''
    return `PortSecretError ${error.code} (input ${error.input}), expected ${want} (input ${c.input})`
  }
  if (c.expect !== 'ok') return `succeeded, expected ${c.expect}`
  return isDeepStrictEqual(got, c.output) ? '' : 'wrong plaintext'
}

function runSync(ps, d, c) {
  let got, error
  try {
    got = c.kind === 'decrypt' ? d.decrypt(c.value, c.encryption) : d.decryptProperties(c.properties, c.userInputs)
  } catch (e) {
    error = e
  }
  return judge(ps, c, got, error)
}

async function runAsync(ps, d, c) {
  let got, error
  try {
    got = await (c.kind === 'decrypt' ? d.decryptAsync(c.value, c.encryption) : d.decryptPropertiesAsync(c.properties, c.userInputs))
  } catch (e) {
    error = e
  }
  return judge(ps, c, got, error)
}

const newDecryptor = (ps, data) => new ps.Decryptor({ clientSecret: Object.values(data.secrets), privateKey: Object.values(data.privateKeys) })

// ---- worker_threads: each loads the addon, builds its own Decryptor, runs the mix, exits.
if (!isMainThread) {
  const { ps } = loadPackage(workerData.from)
  const { data } = workerData
  const mix = [...data.cases, ...selfMade(ps, data)]
  const d = newDecryptor(ps, data)
  const until = Date.now() + workerData.ms
  let ops = 0
  let wrong = 0
  const reports = []
  for (let i = workerData.start; Date.now() < until; i++) {
    const c = mix[i % mix.length]
    const what = runSync(ps, d, c)
    ops++
    if (what) {
      wrong++
      if (reports.length < MAX_REPORTED) reports.push(`worker: ${c.label}: ${what}`)
    }
  }
  parentPort.postMessage({ ops, wrong, reports })
} else {
  await main()
}

async function main() {
  const { ps, path } = loadPackage(process.cwd())
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc')
  const data = fixedCases()
  const mix = [...data.cases, ...selfMade(ps, data)]
  const d = newDecryptor(ps, data)
  const rss = () => {
    global.gc()
    return Math.round(process.memoryUsage().rss / 1024)
  }
  console.log(`soak node: ${THREADS} async lanes (UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE}) + sync calls sharing one Decryptor, ${WORKERS} worker_threads with their own, ${SECONDS} s, ${mix.length} cases per pass (port-secret ${ps.VERSION} from ${dirname(path)}, RSA ${ps.RSA_BACKEND})`)
  const rssStart = rss()

  let stop = false
  const count = { async: 0, sync: 0, worker: 0, workerRuns: 0, wrong: 0 }
  const reports = []
  const note = (what, label) => {
    if (!what) return
    count.wrong++
    if (reports.length < MAX_REPORTED) reports.push(`${label}: ${what}`)
  }
  const lane = async (t) => {
    for (let i = t; !stop; i++) {
      const c = mix[i % mix.length]
      note(await runAsync(ps, d, c), c.label)
      count.async++
    }
  }
  // Sync calls on the main thread, one per turn of the event loop, between the async completions.
  const syncTurns = new Promise((done) => {
    let i = 0
    const turn = () => {
      if (stop) return done()
      const c = mix[i++ % mix.length]
      note(runSync(ps, d, c), `sync ${c.label}`)
      count.sync++
      setImmediate(turn)
    }
    setImmediate(turn)
  })
  // Worker runs pause while RSS is measured, so that both measurements see no worker isolate.
  let gate = null
  let liveWorkers = 0
  let endsAt = Infinity
  const workerSlot = async (slot) => {
    for (let run = 0; !stop; run++) {
      if (gate) await gate
      if (stop) break
      const ms = Math.max(50, Math.min(1000, endsAt - performance.now()))
      liveWorkers++
      const worker = new Worker(new URL(import.meta.url), { workerData: { from: process.cwd(), data, ms, start: slot + run } })
      const result = await new Promise((done, fail) => {
        let message = null
        worker.on('message', (m) => { message = m })
        worker.on('error', fail)
        worker.on('exit', (code) => (code === 0 && message ? done(message) : fail(new Error(`worker exited with ${code}`))))
      }).catch((e) => ({ ops: 0, wrong: 1, reports: [`worker: ${e.message}`] }))
      liveWorkers--
      count.worker += result.ops
      count.workerRuns++
      count.wrong += result.wrong
      for (const r of result.reports) if (reports.length < MAX_REPORTED) reports.push(r)
    }
  }

  const started = performance.now()
  endsAt = started + SECONDS * 1000
  const running = [
    ...Array.from({ length: THREADS }, (_, t) => lane(t)),
    syncTurns,
    ...Array.from({ length: WORKERS }, (_, s) => workerSlot(s)),
  ]
  const sleep = (s) => new Promise((done) => setTimeout(done, s * 1000))
  const warmUp = Math.min(5, SECONDS / 5)
  await sleep(warmUp)
  let open
  gate = new Promise((done) => { open = done })
  while (liveWorkers > 0) await sleep(0.01)
  const rssWarm = rss()
  gate = null
  open()
  console.log(`soak node: rss start ${rssStart} KiB, after warm-up (${warmUp} s) ${rssWarm} KiB`)
  await sleep(Math.max(0, SECONDS - (performance.now() - started) / 1000))
  stop = true
  await Promise.all(running)
  const elapsed = (performance.now() - started) / 1000
  const rssEnd = rss()

  for (const r of reports) console.error(`soak node: WRONG ${r}`)
  const ops = count.async + count.sync + count.worker
  const delta = rssEnd - rssWarm
  const passed = count.wrong === 0 && delta <= RSS_BOUND_KIB
  console.log(`soak node: ${count.async} async, ${count.sync} sync on the main thread, ${count.worker} in ${count.workerRuns} worker runs`)
  console.log(`soak-result lang=node threads=${THREADS} seconds=${elapsed.toFixed(1)} ops=${ops} ops_per_s=${Math.round(ops / elapsed)} wrong=${count.wrong} rss_start_kib=${rssStart} rss_warm_kib=${rssWarm} rss_end_kib=${rssEnd} rss_delta_kib=${delta} bound_kib=${RSS_BOUND_KIB} result=${passed ? 'pass' : 'FAIL'}`)
  process.exitCode = passed ? 0 : 1
}
