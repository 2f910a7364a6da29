// The Port side of the adapter tests (web, lambda, kafkajs), written with node:crypto only, not
// port-secret: a run as Port's legacy webhook sends it, `aes256-gcm` secrets as Port's server
// encrypts them, webhook signatures as Port signs them (HMAC-SHA256 keyed with the whole client
// secret over "<timestamp>.<raw body>", header `x-port-signature: v1,<base64>`), and Kafka messages
// as Port produces them (the signature and timestamp inside the message, in `headers`, over
// "<timestamp>." + Python's compact `json.dumps` of the message without those two keys; for these
// ASCII messages without floats that is JSON.stringify). And the cases every adapter must answer
// as port-secret/express does.
import { createCipheriv, createHmac, randomBytes } from 'node:crypto'

export const clientSecret = 'adapter-tests-client-secret-0123456789abcdefghij'
export const otherSecret = 'another-org-client-secret-0123456789abcdefghijkl'
export const plaintexts = { db_password: 'n3w-p4ss "quoted" \\ end', api_token: 'tok_live_0123456789' }

/** aes256-gcm as Port's server encrypts: IV(16) ‖ ciphertext ‖ tag(16), key = secret[0:32]. */
export function encrypt(plaintext, secret = clientSecret) {
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(secret, 'utf8').subarray(0, 32), iv)
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64')
}

export const now = () => Math.floor(Date.now() / 1000)

/** A run in Port's legacy webhook shape with two `aes256-gcm` inputs and a plain one. */
export function runBody({ secret = clientSecret, overrides = {} } = {}) {
  return {
    action: 'rotate_credentials',
    resourceType: 'run',
    status: 'TRIGGERED',
    context: { entity: 'checkout', blueprint: 'service', runId: `r_${randomBytes(6).toString('hex')}` },
    payload: {
      entity: { identifier: 'checkout', blueprint: 'service' },
      action: {
        identifier: 'rotate_credentials',
        userInputs: {
          properties: {
            db_password: { type: 'string', encryption: 'aes256-gcm' },
            api_token: { type: 'string', encryption: 'aes256-gcm' },
            reason: { type: 'string' },
          },
        },
        invocationMethod: { type: 'WEBHOOK' },
      },
      properties: {
        db_password: encrypt(plaintexts.db_password, secret),
        api_token: encrypt(plaintexts.api_token, secret),
        reason: 'quarterly rotation',
        ...overrides,
      },
    },
  }
}

/** Port's signature headers for a raw webhook body. */
export function sign(raw, secret = clientSecret, timestamp = now()) {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('base64')
  return { 'x-port-signature': `v1,${mac}`, 'x-port-timestamp': String(timestamp) }
}

/** A message of Port's Kafka topic: `body` with its signature headers inside, as text. */
export function kafkaMessage(body, secret = clientSecret, timestamp = now()) {
  const message = { ...body, headers: {} }
  const signed = JSON.stringify(message)
  if (!/^[\x20-\x7e]*$/.test(signed)) throw new Error('ASCII-only messages: JSON.stringify is then the compact json.dumps')
  const mac = createHmac('sha256', secret).update(`${timestamp}.${signed}`).digest('base64')
  message.headers = { 'X-Port-Signature': `v1,${mac}`, 'X-Port-Timestamp': String(timestamp) }
  return JSON.stringify(message)
}

/** Over the helpers' default 1 MiB limit: a signed run padded to 2 MiB. */
function hugeBody() {
  const body = runBody()
  body.payload.entity.padding = 'x'.repeat(2 * 1024 * 1024)
  return body
}

/**
 * Every case, as a webhook request (`raw`, `headers`) and as a Kafka message (`message`), with the
 * answer of port-secret/express (`status`, `body`) and the code a Kafka helper reports.
 */
export function cases() {
  const out = []
  const add = (name, webhook, message, status, body) => out.push({ name, ...webhook, message, status, body })
  {
    const body = runBody()
    const raw = JSON.stringify(body)
    add('valid run', { raw, headers: sign(raw), runId: body.context.runId }, kafkaMessage(body), 200, null)
  }
  {
    const body = runBody()
    add('unsigned', { raw: JSON.stringify(body), headers: {} }, JSON.stringify(body), 401, { error: 'invalid_signature' })
  }
  {
    const body = runBody()
    const raw = JSON.stringify(body)
    const headers = sign(raw)
    const tampered = raw.replace('quarterly rotation', 'quarterly rotatioN')
    const message = JSON.parse(kafkaMessage(body))
    message.payload.properties.reason = 'quarterly rotatioN'
    add('tampered', { raw: tampered, headers }, JSON.stringify(message), 401, { error: 'invalid_signature' })
  }
  {
    const body = runBody()
    const raw = JSON.stringify(body)
    add('stale (an hour old)', { raw, headers: sign(raw, clientSecret, now() - 3600) }, kafkaMessage(body, clientSecret, now() - 3600), 401, {
      error: 'expired',
    })
  }
  {
    const body = runBody()
    const raw = JSON.stringify(body)
    add('signed with another client secret', { raw, headers: sign(raw, otherSecret) }, kafkaMessage(body, otherSecret), 401, {
      error: 'invalid_signature',
    })
  }
  {
    const body = runBody({ overrides: { db_password: encrypt('wrong key', otherSecret) } })
    const raw = JSON.stringify(body)
    add('a secret input encrypted with another secret', { raw, headers: sign(raw) }, kafkaMessage(body), 400, {
      error: 'authentication_failed',
      input: 'db_password',
    })
  }
  {
    const body = hugeBody()
    const raw = JSON.stringify(body)
    add('oversize (2 MiB, signed)', { raw, headers: sign(raw) }, kafkaMessage(body), 413, { error: 'body_too_large' })
  }
  {
    const raw = 'not json {'
    add('not JSON (signed)', { raw, headers: sign(raw) }, raw, 400, { error: 'invalid_json' })
  }
  return out
}
