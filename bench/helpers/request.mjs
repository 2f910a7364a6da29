// Writes the wrk Lua script of bench/helpers/run.sh: one signed Port run with three aes256-gcm
// inputs (string, multi-line, object) and their userInputs, POSTed to PATH. Encrypted and signed
// here with node:crypto, as Port's server does; signed now (stays in the 300 s tolerance).
//   node request.mjs PATH OUT.lua CLIENT_SECRET
import { createCipheriv, createHmac, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'

const [path, out, secret] = process.argv.slice(2)
const encrypt = (text) => {
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(secret, 'utf8').subarray(0, 32), iv)
  const ct = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
  return Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64')
}
const body = JSON.stringify({
  action: 'rotate_database_credentials',
  resourceType: 'run',
  status: 'TRIGGERED',
  trigger: { by: { orgId: 'org_BENCH', userId: 'auth0|bench' }, origin: 'UI', at: new Date().toISOString() },
  context: { entity: 'checkout-service', blueprint: 'service', runId: 'r_BENCH' },
  payload: {
    entity: { identifier: 'checkout-service', blueprint: 'service', properties: { language: 'python' } },
    action: {
      identifier: 'rotate_database_credentials',
      userInputs: {
        properties: {
          db_password: { type: 'string', encryption: 'aes256-gcm' },
          tls_certificate: { type: 'string', format: 'multi-line', encryption: 'aes256-gcm' },
          db_connection: { type: 'object', encryption: 'aes256-gcm' },
          reason: { type: 'string' },
        },
      },
    },
    properties: {
      db_password: encrypt('correct horse battery staple'),
      tls_certificate: encrypt('-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(64 * 20).match(/.{64}/g).join('\n') + '\n-----END CERTIFICATE-----\n'),
      db_connection: encrypt(JSON.stringify({ host: 'db.internal', port: 5432, user: 'app', password: 'p4ss' })),
      reason: 'quarterly rotation',
    },
  },
})
const ts = String(Math.floor(Date.now() / 1000))
const sig = 'v1,' + createHmac('sha256', secret).update(`${ts}.${body}`).digest('base64')
writeFileSync(out, `wrk.method = "POST"
wrk.path = ${JSON.stringify(path)}
wrk.body = ${JSON.stringify(body)}
wrk.headers["content-type"] = "application/json"
wrk.headers["x-port-timestamp"] = "${ts}"
wrk.headers["x-port-signature"] = "${sig}"
bad = 0
function response(status) if status ~= 200 then bad = bad + 1 end end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("RESULT rps=%.1f bad=%d errors=%d\\n", summary.requests / (summary.duration / 1e6), total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
`)
