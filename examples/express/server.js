// A Port action backend in Express: receives runs of "Rotate database credentials" and rotates
// (for show) the service's database password with the decrypted secret inputs.
//
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//   PORT_DELIVERY=agent             runs forwarded by port-agent (default: port, Port's own webhook)
//   PORT=3000                       listens on 127.0.0.1:$PORT
//
// portWebhook verifies the request's signature on the raw body and decrypts every secret input
// (off the event loop); this file never logs or returns a secret value, only SHA-256 fingerprints.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const express = require('express')
const { Decryptor } = require('port-secret')
const { portWebhook } = require('port-secret/express')

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

const app = express()
app.disable('x-powered-by')
app.get('/healthz', (req, res) => res.json({ ok: true }))
app.post('/port/actions', portWebhook(decryptor, { delivery: process.env.PORT_DELIVERY || 'port' }), (req, res) => {
  const result = rotate(req.portRun)
  // Names and fingerprints only: never a value.
  console.log(`run ${result.runId}: rotated ${Object.keys(result.secrets).sort().join(', ')}`)
  res.json({ ok: true, ...result })
})

const port = Number(process.env.PORT || 3000)
app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`))
