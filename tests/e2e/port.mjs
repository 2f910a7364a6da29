// The Port side of the end-to-end tests, written independently of port-secret: bodies in the
// shape Port's legacy webhook runs have, secrets encrypted the way Port's server (aes256-gcm,
// node:crypto) and Port's browser (client-side, WebCrypto) do, signatures made the way Port signs
// (HMAC-SHA256 over "<timestamp>.<raw body>"), and the examples started as their READMEs say.
import { spawn } from 'node:child_process'
import { createCipheriv, createHash, createHmac, randomBytes, webcrypto } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer } from 'node:net'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const root = resolve(here, '..', '..')
export const demoDir = join(root, 'examples', 'demo')

/** The DEMO-ONLY keys of examples/demo (public, never for real use). */
export const demo = {
  clientSecret: readFileSync(join(demoDir, 'client_secret.txt'), 'utf8').trim(),
  privateKeyFile: join(demoDir, 'private_key.pem'),
  publicKey: readFileSync(join(demoDir, 'public_key.pem'), 'utf8'),
  action: JSON.parse(readFileSync(join(demoDir, 'action.json'), 'utf8')),
}

/** aes256-gcm as Port's server encrypts: IV(16) ‖ ciphertext ‖ tag(16), key = secret[0:32]. */
export function encryptServer(plaintext, clientSecret) {
  const key = Buffer.from(clientSecret, 'utf8').subarray(0, 32)
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64')
}

/**
 * client-side as Port's browser encrypts, with WebCrypto: a fresh AES-256-GCM key and 12-byte IV,
 * the key wrapped with RSA-OAEP(SHA-256) under the action's public key; IV ‖ wrapped ‖ ct+tag.
 */
export async function encryptBrowser(plaintext, publicKeyPem) {
  const { subtle } = webcrypto
  const der = Buffer.from(publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
  const rsa = await subtle.importKey('spki', der, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt'])
  const aes = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
  const iv = webcrypto.getRandomValues(new Uint8Array(12))
  const ciphertext = await subtle.encrypt({ name: 'AES-GCM', iv }, aes, new TextEncoder().encode(plaintext))
  const wrapped = await subtle.encrypt({ name: 'RSA-OAEP' }, rsa, await subtle.exportKey('raw', aes))
  return Buffer.concat([iv, Buffer.from(wrapped), Buffer.from(ciphertext)]).toString('base64')
}

/** A fresh RSA-2048 public key (SPKI PEM) whose private key nobody keeps: "the wrong key". */
export async function strangerPublicKey() {
  const { subtle } = webcrypto
  const pair = await subtle.generateKey(
    { name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['encrypt', 'decrypt'],
  )
  const der = Buffer.from(await subtle.exportKey('spki', pair.publicKey)).toString('base64')
  return `-----BEGIN PUBLIC KEY-----\n${der.match(/.{1,64}/g).join('\n')}\n-----END PUBLIC KEY-----\n`
}

/** Port's signature headers for a raw body (HMAC-SHA256 keyed with the whole client secret). */
export function sign(raw, clientSecret, timestamp = Math.floor(Date.now() / 1000)) {
  const mac = createHmac('sha256', clientSecret).update(`${timestamp}.`).update(raw).digest('base64')
  return { 'x-port-timestamp': String(timestamp), 'x-port-signature': `v1,${mac}` }
}

/**
 * Everything an example must never print or answer for these decrypted values: each string (and
 * each string field of an object value, and the object's JSON), its SHA-256 in hex (whole and
 * the first 16 digits) and in base64.
 */
export function derivedFrom(values) {
  const strings = []
  for (const value of values) {
    if (typeof value === 'string') strings.push(value)
    else {
      strings.push(JSON.stringify(value))
      strings.push(...Object.values(value).filter((v) => typeof v === 'string' && v.length >= 8))
    }
  }
  const out = []
  for (const text of strings) {
    const digest = createHash('sha256').update(text, 'utf8').digest()
    out.push(text, digest.toString('hex'), digest.toString('hex').slice(0, 16), digest.toString('base64'))
  }
  return out
}

/** Fails when `text` (an answer, a log) holds a value of `values` or anything derivedFrom it. */
export function assertNothingDerived(text, values, where) {
  for (const needle of derivedFrom(values)) {
    if (text.includes(needle)) throw new Error(`${where} shows a decrypted value or a hash of one`)
  }
}

/**
 * The customer's own service the examples hand decrypted values to (DOWNSTREAM_URL): a real HTTP
 * server on 127.0.0.1 that records each request's JSON body and answers `status` (204, or what a
 * test sets to make it fail).
 */
export async function startDownstream() {
  const downstream = { received: [], status: 204, url: '' }
  const server = createHttpServer(async (req, res) => {
    let text = ''
    for await (const chunk of req) text += chunk
    downstream.received.push({ method: req.method, contentType: req.headers['content-type'], body: JSON.parse(text) })
    res.writeHead(downstream.status).end()
  })
  await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen))
  downstream.url = `http://127.0.0.1:${server.address().port}/rotate`
  downstream.close = () => new Promise((resolveClose) => server.close(resolveClose))
  return downstream
}

/** The plaintexts of the demo action's secret inputs (made up for the tests). */
export const plaintexts = {
  db_password: 'n3w-p4ss ✓ "quoted" \\ end',
  db_connection: { host: 'db.internal', port: 5432, user: 'app', sslmode: 'require' },
  tls_certificate: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUE2E\n-----END CERTIFICATE-----\n',
  vendor_api_key: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
}

/**
 * A run of the demo action in Port's legacy webhook shape, secrets encrypted as Port does.
 * `overrides` replaces properties (already encrypted or deliberately broken).
 */
export async function runBody({ overrides = {}, userInputs = demo.action.trigger.userInputs } = {}) {
  const properties = {
    db_password: encryptServer(plaintexts.db_password, demo.clientSecret),
    db_connection: encryptServer(JSON.stringify(plaintexts.db_connection), demo.clientSecret),
    tls_certificate: encryptServer(plaintexts.tls_certificate, demo.clientSecret),
    vendor_api_key: await encryptBrowser(plaintexts.vendor_api_key, demo.publicKey),
    reason: 'quarterly rotation',
    ...overrides,
  }
  const runId = `r_${randomBytes(6).toString('hex')}`
  return {
    action: demo.action.identifier,
    resourceType: 'run',
    status: 'TRIGGERED',
    trigger: {
      by: { orgId: 'org_TEST', userId: 'auth0|tester', user: { email: 'tester@example.com' } },
      origin: 'UI',
      at: new Date().toISOString(),
    },
    context: { entity: 'checkout-service', blueprint: 'service', runId },
    payload: {
      entity: {
        identifier: 'checkout-service',
        title: 'Checkout service',
        blueprint: 'service',
        properties: { language: 'python' },
        relations: {},
      },
      action: {
        identifier: demo.action.identifier,
        title: demo.action.title,
        userInputs,
        invocationMethod: demo.action.invocationMethod,
        trigger: 'DAY-2',
      },
      properties,
      censoredProperties: Object.keys(properties).filter((name) => userInputs.properties[name]?.encryption),
    },
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

/**
 * How each example starts (its README's command, run in its directory; E2E_*_DIR points at an
 * installed copy, E2E_PYTHON at a Python with the requirements and the port-secret wheel).
 */
export const examples = {
  flask: () => ({
    cwd: process.env.E2E_FLASK_DIR ?? join(root, 'examples', 'flask'),
    command: process.env.E2E_PYTHON ?? 'python3',
    args: ['app.py'],
  }),
  express: () => ({ cwd: process.env.E2E_EXPRESS_DIR ?? join(root, 'examples', 'express'), command: 'npm', args: ['start', '--silent'] }),
  fastify: () => ({ cwd: process.env.E2E_FASTIFY_DIR ?? join(root, 'examples', 'fastify'), command: 'npm', args: ['start', '--silent'] }),
}

/** Starts an example on a free port with the demo keys; resolves once /healthz answers. */
export async function startExample(name, extraEnv = {}) {
  const { cwd, command, args } = examples[name]()
  const port = await freePort()
  const child = spawn(command, args, {
    cwd,
    detached: true, // its own process group: `npm start` runs node under a shell
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT_CLIENT_SECRET: demo.clientSecret,
      PORT_PRIVATE_KEY_FILE: demo.privateKeyFile,
      PORT: String(port),
      ...extraEnv,
    },
  })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output}`)
    try {
      const res = await fetch(`${url}/healthz`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid, 'SIGKILL')
      throw new Error(`${name} did not start:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      process.kill(-child.pid, 'SIGTERM')
      const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** POSTs a raw body (string or Buffer) with headers; resolves to { status, json }. */
export async function post(url, raw, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
  })
  const text = await res.text()
  let json
  try {
    json = JSON.parse(text)
  } catch {
    json = { unparsed: text }
  }
  return { status: res.status, json }
}
