// A Port action backend on Hono (@hono/node-server): receives runs of "Rotate database
// credentials" and rotates the service's database password with the decrypted secret inputs.
//
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//   DOWNSTREAM_URL=https://...      your service that applies the new credentials (optional)
//   PORT=3000                       listens on 127.0.0.1:$PORT
//
// `openRun(decryptor, c.req.raw)` (port-secret/web) takes the WHATWG Request Hono hands over,
// reads its body under a 1 MiB cap and opens the run in one call: the same code works in a
// Next.js route handler (`export async function POST(request)`). The values go only to
// DOWNSTREAM_URL: this file never logs or answers a secret value nor anything computed from one
// (no hash, length or part), only input names.
'use strict'

const fs = require('node:fs')
const { Hono } = require('hono')
const { serve } = require('@hono/node-server')
const { Decryptor } = require('port-secret')
const { openRun } = require('port-secret/web')

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

const app = new Hono()
app.get('/healthz', (c) => c.json({ ok: true }))
app.post('/port/actions', async (c) => {
  const { run, response } = await openRun(decryptor, c.req.raw)
  if (response) return response // 401 / 400 / 413 with {error[, input]}
  const runId = run.context?.runId
  const secrets = secretInputs(run)
  const names = Object.keys(secrets).sort()
  try {
    await rotate(runId, secrets)
  } catch (error) {
    console.error(`run ${runId}: downstream failed (${error.cause?.code ?? error.message})`)
    return c.json({ error: 'downstream_failed' }, 502)
  }
  console.log(`run ${runId}: rotated with ${names.join(', ')}`) // names only, never a value
  return c.json({ ok: true, runId, action: run.action, entity: run.payload.entity?.identifier, secrets: names })
})

const port = Number(process.env.PORT || 3000)
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`listening on http://127.0.0.1:${port}`))
