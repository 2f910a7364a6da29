// Cross-path runner, Node: every shared vector through every entry point of the installed
// port-secret package (run it from a project that installed the packed tarball), one JSON line
// per call (see compare.py for the format): one-shot functions with string and Buffer inputs,
// Decryptor sync and *Async methods, openWebhook(/Async) with header pairs and Node's
// req.headers object, openKafkaMessage(/Async).
//
//   node node_runner.mjs <tests/vectors dir> <out.jsonl>
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

import * as ps from 'port-secret'

const LANG = 'node'
const FORMAT_DIRS = ['aes256_gcm', 'client_side', 'fernet', 'signature', 'properties', 'runs']
const [root, outFile] = process.argv.slice(2)
const lines = []
let count = 0

const resolved = createRequire(join(process.cwd(), 'x.js')).resolve('port-secret')
if (!resolved.includes('node_modules')) {
  console.error(`port-secret is not an installed package: ${resolved}`)
  process.exit(1)
}

const keys = new Map()
function key(name) {
  if (!keys.has(name)) keys.set(name, readFileSync(join(root, 'keys', name), 'utf8'))
  return keys.get(name)
}

function emit(vector, path, kind, code, input = null) {
  lines.push(JSON.stringify({ vector, path: `${LANG}:${path}`, kind, code, input }))
  count++
}

function codeOf(error) {
  if (error instanceof ps.PortSecretError || (error && typeof error.code === 'string' && error.code.startsWith('ERR_PORT_SECRET_'))) {
    return [error.code.slice('ERR_PORT_SECRET_'.length).toLowerCase(), error.input ?? null]
  }
  return [`exception:${error?.name ?? typeof error}`, null]
}

/** Runs `fn` (sync, or returning a promise) and records ok / wrong_output / the error's code. */
async function call(vector, path, kind, fn, check) {
  let out
  try {
    out = await fn()
  } catch (error) {
    const [code, input] = codeOf(error)
    emit(vector, path, kind, code, input)
    return
  }
  emit(vector, path, kind, check(out) ? 'ok' : 'wrong_output')
}

/** A Decryptor per test, its constructor's error being the path's result. */
const withDecryptor = (make, use) => () => use(make())

function checks(t) {
  const wantHex = t.plaintextHex
  const wantText = t.plaintext
  return {
    bytes: (out) => Buffer.isBuffer(out) && out.toString('hex') === wantHex,
    text: (out) => typeof out === 'string' && out === wantText,
    json: (out) => wantText !== undefined && JSON.stringify(out) === JSON.stringify(JSON.parse(wantText)),
  }
}

const jsonApplies = (t) => t.result === 'invalid' || t.flags.includes('JsonObject')

async function decryptorPaths(id, t, make, value, enc) {
  const c = checks(t)
  const buf = Buffer.from(value, 'utf8')
  await call(id, 'Decryptor.decryptBytes(Buffer)', 'bytes', withDecryptor(make, (d) => d.decryptBytes(buf, enc)), c.bytes)
  await call(id, 'Decryptor.decrypt(string)', 'text', withDecryptor(make, (d) => d.decrypt(value, enc)), c.text)
  await call(id, 'Decryptor.decryptAsync(string)', 'text', withDecryptor(make, (d) => d.decryptAsync(value, enc)), c.text)
  await call(id, 'Decryptor.decryptAsync(Buffer)', 'text', withDecryptor(make, (d) => d.decryptAsync(buf, enc)), c.text)
  if (jsonApplies(t)) {
    await call(id, 'Decryptor.decryptJson(string)', 'json', withDecryptor(make, (d) => d.decryptJson(value, enc)), c.json)
  }
}

async function aes256gcm(id, t) {
  const c = checks(t)
  const { value, clientSecret } = t
  await call(id, 'decryptAes256Gcm(string)', 'text', () => ps.decryptAes256Gcm(value, clientSecret), c.text)
  await call(id, 'decryptAes256Gcm(Buffer)', 'text', () => ps.decryptAes256Gcm(Buffer.from(value), clientSecret), c.text)
  await call(id, 'decryptAes256GcmBytes(Buffer)', 'bytes', () => ps.decryptAes256GcmBytes(Buffer.from(value), clientSecret), c.bytes)
  await call(id, 'decryptAes256GcmBytes(string)', 'bytes', () => ps.decryptAes256GcmBytes(value, clientSecret), c.bytes)
  await decryptorPaths(id, t, () => new ps.Decryptor({ clientSecret }), value, 'aes256-gcm')
}

async function clientSide(id, t) {
  const c = checks(t)
  const { value } = t
  const pem = key(t.privateKey)
  await call(id, 'decryptClientSide(string)', 'text', () => ps.decryptClientSide(value, pem), c.text)
  await call(id, 'decryptClientSideBytes(Uint8Array)', 'bytes', () => ps.decryptClientSideBytes(new Uint8Array(Buffer.from(value)), pem), c.bytes)
  const enc = t.publicKey ? { algorithm: 'client-side', key: key(t.publicKey) } : 'client-side'
  await decryptorPaths(id, t, () => new ps.Decryptor({ privateKey: pem }), value, enc)
}

async function fernet(id, t) {
  const c = checks(t)
  const { token, clientSecret } = t
  // The public clock option of the one-shot functions; a Decryptor has none (its TTL runs on
  // the clock), so it takes only the tests without `now`.
  const options = 'now' in t ? { ttl: t.ttl, now: t.now } : {}
  await call(id, 'decryptFernet(string)', 'text', () => ps.decryptFernet(token, clientSecret, options), c.text)
  await call(id, 'decryptFernetBytes(Buffer)', 'bytes', () => ps.decryptFernetBytes(Buffer.from(token), clientSecret, options), c.bytes)
  if ('now' in t) return
  await decryptorPaths(id, t, () => new ps.Decryptor({ clientSecret }), token, 'fernet')
}

async function signature(id, t) {
  const { body, signature: sig, timestamp, clientSecret, tolerance, now } = t
  const none = (out) => out === undefined
  await call(id, 'verifySignature(string)', 'verify', () => ps.verifySignature(body, sig, timestamp, clientSecret, { tolerance, now }), none)
  await call(
    id,
    'Decryptor.verifySignature(Buffer)',
    'verify',
    withDecryptor(() => new ps.Decryptor({ clientSecret }), (d) => d.verifySignature(Buffer.from(body), sig, timestamp, { tolerance, now })),
    none,
  )
}

const runDecryptor = (t) => () => new ps.Decryptor({ clientSecret: t.clientSecret, privateKey: t.privateKey ? key(t.privateKey) : undefined })
const sameJson = (t) => {
  const want = JSON.stringify(t.expected)
  return (out) => out !== null && typeof out === 'object' && JSON.stringify(out) === want
}

async function properties(id, t) {
  const make = runDecryptor(t)
  const ok = sameJson(t)
  await call(id, 'Decryptor.decryptProperties', 'properties', withDecryptor(make, (d) => d.decryptProperties(t.properties, t.userInputs)), ok)
  await call(id, 'Decryptor.decryptPropertiesAsync', 'properties', withDecryptor(make, (d) => d.decryptPropertiesAsync(t.properties, t.userInputs)), ok)
}

async function run(id, t) {
  const make = runDecryptor(t)
  const ok = sameJson(t)
  const body = 'bodyHex' in t ? Buffer.from(t.bodyHex, 'hex') : Buffer.from(t.body, 'utf8')
  if (t.delivery === 'kafka') {
    const options = { ...t.options, now: t.now }
    if ('body' in t) await call(id, 'Decryptor.openKafkaMessage(string)', 'run', withDecryptor(make, (d) => d.openKafkaMessage(t.body, options)), ok)
    await call(id, 'Decryptor.openKafkaMessage(Buffer)', 'run', withDecryptor(make, (d) => d.openKafkaMessage(body, options)), ok)
    await call(id, 'Decryptor.openKafkaMessageAsync(Buffer)', 'run', withDecryptor(make, (d) => d.openKafkaMessageAsync(body, options)), ok)
    return
  }
  const options = { ...t.options, now: t.now, delivery: t.delivery }
  const pairs = t.headers
  if ('body' in t) await call(id, 'Decryptor.openWebhook(string, pairs)', 'run', withDecryptor(make, (d) => d.openWebhook(t.body, pairs, options)), ok)
  await call(id, 'Decryptor.openWebhook(Buffer, pairs)', 'run', withDecryptor(make, (d) => d.openWebhook(body, pairs, options)), ok)
  await call(id, 'Decryptor.openWebhookAsync(Buffer, pairs)', 'run', withDecryptor(make, (d) => d.openWebhookAsync(body, pairs, options)), ok)
  // Node's req.headers: names lower-cased; only when no name repeats (Node would join them).
  const names = pairs.map(([name]) => name.toLowerCase())
  if (new Set(names).size === names.length) {
    const headers = Object.fromEntries(pairs.map(([name, value]) => [name.toLowerCase(), value]))
    await call(id, 'Decryptor.openWebhook(Buffer, req.headers)', 'run', withDecryptor(make, (d) => d.openWebhook(body, headers, options)), ok)
    await call(id, 'Decryptor.openWebhookAsync(Buffer, req.headers)', 'run', withDecryptor(make, (d) => d.openWebhookAsync(body, headers, options)), ok)
  }
}

const CHECKS = { 'aes256-gcm': aes256gcm, 'client-side': clientSide, fernet, signature, properties, run }

let files = 0
let tests = 0
for (const sub of FORMAT_DIRS) {
  for (const name of readdirSync(join(root, sub)).filter((n) => n.endsWith('_test.json')).sort()) {
    files++
    const doc = JSON.parse(readFileSync(join(root, sub, name), 'utf8'))
    if (doc.schema !== 'port-secret-vectors/v1') throw new Error(`${sub}/${name}: unknown schema`)
    for (const t of doc.tests) {
      tests++
      await CHECKS[doc.format](`${sub}/${name}#${t.tcId}`, t)
    }
  }
}
writeFileSync(outFile, lines.map((l) => `${l}\n`).join(''))
console.log(`node (${ps.VERSION}, ${ps.RSA_BACKEND}): ${files} files, ${tests} tests, ${count} checks`)
