// A Port action backend in Express: receives runs of "Rotate database credentials" and rotates
// the service's database password with the decrypted secret inputs.
//
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//   PORT_DELIVERY=agent             runs forwarded by port-agent (default: port, Port's own webhook)
//   DOWNSTREAM_URL=https://...      your service that applies the new credentials (optional)
//   PORT=3000                       listens on 127.0.0.1:$PORT
//
// portWebhook verifies the request's signature on the raw body and decrypts every secret input
// (off the event loop). The values go only to DOWNSTREAM_URL: this file never logs or answers a
// secret value nor anything computed from one (no hash, length or part), only input names.
'use strict'

const fs = require('node:fs')
const express = require('express')
const { Decryptor } = require('port-secret')
const { portWebhook } = require('port-secret/express')

/** The run's secret inputs that arrived, decrypted: { name: value } (`object` inputs parsed). */
function secretInputs(run) {
  const { properties, action } = run.payload
  const secrets = {}
  for (const [name, definition] of Object.entries(action.userInputs.properties)) {
    if ('encryption' in definition && properties[name] != null) secrets[name] = properties[name]
  }
  return secrets
}

/** Uses the values: POSTs them to your service at DOWNSTREAM_URL. Without it, only holds them. */
async function rotate(runId, secrets) {
  if (!process.env.DOWNSTREAM_URL) return
  const res = await fetch(process.env.DOWNSTREAM_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ runId, secrets }),
  })
  if (!res.ok) throw new Error(`status ${res.status}`)
}

const decryptor = new Decryptor({
  clientSecret: process.env.PORT_CLIENT_SECRET,
  privateKey: process.env.PORT_PRIVATE_KEY_FILE ? fs.readFileSync(process.env.PORT_PRIVATE_KEY_FILE, 'utf8') : undefined,
})

const app = express()
app.disable('x-powered-by')
app.get('/healthz', (req, res) => res.json({ ok: true }))
app.post('/port/actions', portWebhook(decryptor, { delivery: process.env.PORT_DELIVERY || 'port' }), async (req, res) => {
  const run = req.portRun
  const runId = run.context?.runId
  const secrets = secretInputs(run)
  const names = Object.keys(secrets).sort()
  try {
    await rotate(runId, secrets)
  } catch (error) {
    console.error(`run ${runId}: downstream failed (${error.cause?.code ?? error.message})`)
    return res.status(502).json({ error: 'downstream_failed' })
  }
  console.log(`run ${runId}: rotated with ${names.join(', ')}`) // names only, never a value
  res.json({ ok: true, runId, action: run.action, entity: run.payload.entity?.identifier, secrets: names })
})

const port = Number(process.env.PORT || 3000)
app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`))
