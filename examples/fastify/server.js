// A Port action backend in Fastify: receives runs of "Rotate database credentials" and rotates
// the service's database password with the decrypted secret inputs.
//
//   PORT_CLIENT_SECRET=...          the organisation's client secret (required)
//   PORT_PRIVATE_KEY_FILE=key.pem   RSA private key for client-side inputs (optional)
//   PORT_DELIVERY=agent             runs forwarded by port-agent (default: port, Port's own webhook)
//   DOWNSTREAM_URL=https://...      your service that applies the new credentials (optional)
//   PORT=3001                       listens on 127.0.0.1:$PORT
//
// The port-secret/fastify plugin verifies the request's signature on the raw body and decrypts
// every secret input (off the event loop) before the handler. The values go only to
// DOWNSTREAM_URL: this file never logs or answers a secret value nor anything computed from one
// (no hash, length or part), only input names.
'use strict'

const fs = require('node:fs')
const Fastify = require('fastify')
const { Decryptor } = require('port-secret')

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

// The request logger logs method, URL and status: never a body.
const app = Fastify({ logger: process.env.LOG_REQUESTS === '0' ? false : { level: 'info' } })
app.get('/healthz', async () => ({ ok: true }))

// Webhook routes: the plugin applies to the routes of the context it is registered in.
app.register(async (webhooks) => {
  await webhooks.register(require('port-secret/fastify'), { decryptor, delivery: process.env.PORT_DELIVERY || 'port' })
  webhooks.post('/port/actions', async (request, reply) => {
    const run = request.portRun
    const runId = run.context?.runId
    const secrets = secretInputs(run)
    const names = Object.keys(secrets).sort()
    try {
      await rotate(runId, secrets)
    } catch (error) {
      request.log.error({ runId, cause: error.cause?.code ?? error.message }, 'downstream failed')
      return reply.code(502).send({ error: 'downstream_failed' })
    }
    request.log.info({ runId, secrets: names }, 'rotated') // names only, never a value
    return { ok: true, runId, action: run.action, entity: run.payload.entity?.identifier, secrets: names }
  })
})

app.listen({ port: Number(process.env.PORT || 3001), host: '127.0.0.1' }).catch((error) => {
  console.error(error.message)
  process.exit(1)
})
