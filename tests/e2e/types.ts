// Type-checked (tsc --noEmit, strict) against the installed port-secret's express.d.ts and
// fastify.d.ts by scripts/test-examples.sh: the documented usage compiles, misuse does not.
import { createServer } from 'node:http'

import Fastify from 'fastify'
import { Decryptor } from 'port-secret'
import { portWebhook, verifyAndDecrypt, PortWebhookRejection, type PortRun } from 'port-secret/express'
import portSecretFastify, { type PortSecretFastifyOptions } from 'port-secret/fastify'

const decryptor = new Decryptor({ clientSecret: 'x'.repeat(32) })

const middleware = portWebhook(decryptor, { userInputs: { properties: {} }, tolerance: 60, maxBody: 1 << 20 })
createServer((req, res) => middleware(req, res, () => res.end()))
// @ts-expect-error the options object is typed
portWebhook(decryptor, { tolerance: '60' })

async function neutral(raw: Buffer): Promise<string> {
  try {
    const run: PortRun = await verifyAndDecrypt(decryptor, raw, { 'x-port-signature': 'v1,', 'x-port-timestamp': '1' })
    return String(run.payload.properties.db_password)
  } catch (error) {
    if (error instanceof PortWebhookRejection) return `${error.status} ${error.body.error} ${error.body.input ?? ''}`
    throw error
  }
}
void neutral

const app = Fastify()
const options: PortSecretFastifyOptions = { decryptor, propertiesPointer: '/payload/properties' }
app.register(portSecretFastify, options)
// @ts-expect-error decryptor is required
app.register(portSecretFastify, {})
app.post('/port', { config: { portWebhook: true } }, async (request) => {
  const run: PortRun | null = request.portRun
  return { ok: run !== null }
})
