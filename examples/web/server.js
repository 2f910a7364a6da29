// A Port action backend on Hono (@hono/node-server): receives runs of "Rotate database
// credentials" and describes the rotation it would do with the decrypted secret inputs.
//
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//   PORT=3000                       listens on 127.0.0.1:$PORT
//
// `openRun(decryptor, c.req.raw)` (port-secret/web) takes the WHATWG Request Hono hands over,
// reads its body under a 1 MiB cap and opens the run in one call: the same code works in a
// Next.js route handler (`export async function POST(request)`). This file never logs or returns
// a secret value, only SHA-256 fingerprints.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const { Hono } = require('hono')
const { serve } = require('@hono/node-server')
const { Decryptor } = require('port-secret')
const { openRun } = require('port-secret/web')

/** Identifies a secret without revealing it (like a key ID): SHA-256, first 16 hex digits. */
function fingerprint(value) {
  return `sha256:${crypto.createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16)}`
}

/** What a real backend would do with the inputs; here: describe them by name and fingerprint. */
function rotate(run) {
  const { payload } = run
  const secrets = {}
  for (const [name, definition] of Object.entries(payload.action.userInputs.properties)) {
    const value = payload.properties[name]
    if (!('encryption' in definition) || value == null) continue
    secrets[name] =
      typeof value === 'string'
        ? { type: 'string', bytes: Buffer.byteLength(value), fingerprint: fingerprint(value) }
        : { type: 'object', keys: Object.keys(value).sort() }
  }
  return { runId: run.context?.runId, action: run.action, entity: payload.entity?.identifier, secrets }
}

const decryptor = new Decryptor({
  clientSecret: process.env.PORT_CLIENT_SECRET,
  privateKey: process.env.PORT_PRIVATE_KEY_FILE ? fs.readFileSync(process.env.PORT_PRIVATE_KEY_FILE, 'utf8') : undefined,
})

const app = new Hono()
app.get('/healthz', (c) => c.json({ ok: true }))
app.post('/port/actions', async (c) => {
  const { run, response } = await openRun(decryptor, c.req.raw)
  if (response) return response // 401 / 400 / 413 with {error[, input]}
  const result = rotate(run)
  // Names and fingerprints only: never a value.
  console.log(`run ${result.runId}: rotated ${Object.keys(result.secrets).sort().join(', ')}`)
  return c.json({ ok: true, ...result })
})

const port = Number(process.env.PORT || 3000)
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`listening on http://127.0.0.1:${port}`))
