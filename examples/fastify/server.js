// A Port action backend in Fastify: receives runs of "Rotate database credentials" and rotates
// (for show) the service's database password with the decrypted secret inputs.
//
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//   PORT_DELIVERY=agent             runs forwarded by port-agent (default: port, Port's own webhook)
//   PORT=3001                       listens on 127.0.0.1:$PORT
//
// The port-secret/fastify plugin verifies the request's signature on the raw body and decrypts
// every secret input (off the event loop) before the handler; this file never logs or returns a
// secret value, only SHA-256 fingerprints.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const Fastify = require('fastify')
const { Decryptor } = require('port-secret')

/** Identifies a secret without revealing it (like a key ID): SHA-256, first 16 hex digits. */
function fingerprint(value) {
  return `sha256:${crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)}`
}

/**
 * What a real backend would do: connect with the connection settings, set the new password,
 * install the certificate, register the vendor key. Here: check the inputs and describe it.
 */
function rotate(run) {
  const { payload } = run
  const inputs = payload.properties
  const secrets = {}
  for (const [name, definition] of Object.entries(payload.action.userInputs.properties)) {
    const value = inputs[name]
    if (!('encryption' in definition) || value == null) continue
    secrets[name] =
      typeof value === 'string'
        ? { type: 'string', bytes: Buffer.byteLength(value), fingerprint: fingerprint(value) }
        : { type: 'object', keys: Object.keys(value).sort() }
  }
  const result = {
    runId: run.context?.runId,
    action: run.action,
    entity: payload.entity?.identifier,
    secrets,
  }
  const connection = inputs.db_connection
  if (connection && typeof connection === 'object') {
    result.database = `${connection.user}@${connection.host}:${connection.port}`
  }
  if (typeof inputs.tls_certificate === 'string') {
    result.certificates = inputs.tls_certificate.split('-----BEGIN CERTIFICATE-----').length - 1
  }
  return result
}

const decryptor = new Decryptor({
  clientSecret: process.env.PORT_CLIENT_SECRET,
  privateKey: process.env.PORT_PRIVATE_KEY_FILE ? fs.readFileSync(process.env.PORT_PRIVATE_KEY_FILE, 'utf8') : undefined,
})

// The request logger logs method, URL and status: never a body.
const app = Fastify({ logger: process.env.LOG_REQUESTS === '0' ? false : { level: 'info' } })
app.get('/healthz', async () => ({ ok: true }))

// Webhook routes: the plugin applies to the routes of the context it is registered in.
app.register(async (webhooks) => {
  await webhooks.register(require('port-secret/fastify'), { decryptor, delivery: process.env.PORT_DELIVERY || 'port' })
  webhooks.post('/port/actions', async (request) => {
    const result = rotate(request.portRun)
    // Names and fingerprints only: never a value.
    request.log.info({ runId: result.runId, secrets: Object.keys(result.secrets).sort() }, 'rotated')
    return { ok: true, ...result }
  })
})

app.listen({ port: Number(process.env.PORT || 3001), host: '127.0.0.1' }).catch((error) => {
  console.error(error.message)
  process.exit(1)
})
