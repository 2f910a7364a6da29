// port-secret/fastify: a Fastify plugin that opens Port webhook runs on their raw body (one
// `decryptor.openWebhookAsync` call: signature, parse, secret inputs decrypted) before the
// handler, as `request.portRun`. It adds only HTTP: the raw body, its limit, the status codes.
//
//   fastify.register(require('port-secret/fastify'), { decryptor })
//   fastify.post('/port/actions', async (request) => { ... request.portRun ... })
//
// The plugin is not encapsulated (like fastify-plugin): it applies to the routes declared after
// it in the context it is registered in, and their children. Among those, every route whose
// method can carry a body (not GET, HEAD, OPTIONS) is a Port webhook route, unless its
// `config.portWebhook` is `false`; to scope it, register it inside the plugin that declares the
// webhook routes. On webhook routes `request.body` is the raw Buffer; the JSON parser of every
// other route is Fastify's default one.
'use strict'

const { _internal } = require('./express.js')

const { normalizeOptions, processRun, PortWebhookRejection } = _internal
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** A request to a webhook route: a matched route, a method with a body, not opted out. */
function isWebhookRequest(request) {
  if (request.is404) return false
  const route = request.routeOptions
  if (!route || (route.config && route.config.portWebhook === false)) return false
  return !NO_BODY_METHODS.has(String(request.method).toUpperCase())
}

function reject(reply, rejection) {
  return reply.code(rejection.status).type('application/json; charset=utf-8').send(rejection.body)
}

/**
 * The plugin. Options: `decryptor` (a port-secret Decryptor, required), `delivery` ('port', or
 * 'agent' for webhooks forwarded by port-agent), `userInputs`, `verifySignature` (true),
 * `tolerance` (300 s), `propertiesPointer` ('/payload/properties'), `userInputsPointer`
 * ('/payload/action/userInputs'), `defaultEncryption`, `maxBody` (1 MiB, the body limit of the
 * webhook routes; `limit` is its alias). Same answers as port-secret/express: 401 `{error}` for a missing or bad
 * signature or a stale timestamp, 400 `{error, input}` for anything else refused (a secret that
 * fails, `invalid_json`, `malformed`), 413 `body_too_large`.
 */
function portSecretFastify(fastify, options, done) {
  const { decryptor, ...rest } = options || {}
  let opts
  try {
    opts = normalizeOptions(decryptor, rest, 'port-secret/fastify')
  } catch (error) {
    done(error)
    return
  }

  if (!fastify.hasRequestDecorator('portRun')) fastify.decorateRequest('portRun', null)

  const defaultJson = fastify.getDefaultJsonParser(
    fastify.initialConfig.onProtoPoisoning || 'error',
    fastify.initialConfig.onConstructorPoisoning || 'error',
  )
  // Webhook routes keep the raw bytes (the signature covers them exactly); every other route
  // gets Fastify's own JSON parsing, with Fastify's body limit.
  const otherLimit = fastify.initialConfig.bodyLimit
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: Math.max(opts.limit, otherLimit) },
    function parseJson(request, body, parsed) {
      if (isWebhookRequest(request)) {
        parsed(null, body.length > opts.limit ? TOO_LARGE : body)
      } else if (body.length > otherLimit && routeBodyLimit(request) == null) {
        parsed(Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }))
      } else {
        defaultJson(request, body.toString('utf8'), parsed)
      }
    },
  )

  // Hooks of the context (not onRoute), so that they apply to every route of it, declared before
  // or after the registration.
  fastify.addHook('onRequest', function portWebhookLimit(request, reply, next) {
    // Declared too large: refuse before reading it.
    if (isWebhookRequest(request) && Number(request.headers['content-length']) > opts.limit) {
      reject(reply, new PortWebhookRejection(413, 'body_too_large'))
      return
    }
    next()
  })
  fastify.addHook('preHandler', async function portWebhookPreHandler(request, reply) {
    if (!isWebhookRequest(request)) return
    const run = await verifyRequest(opts, request)
    if (run instanceof PortWebhookRejection) return reject(reply, run)
    request.portRun = run
  })
  done()
}

const TOO_LARGE = Symbol('too large')

function routeBodyLimit(request) {
  const route = request.routeOptions
  return route ? route.bodyLimit : undefined
}

async function verifyRequest(opts, request) {
  let raw = request.body
  if (raw === TOO_LARGE) return new PortWebhookRejection(413, 'body_too_large')
  if (raw == null) raw = Buffer.alloc(0)
  else if (typeof raw === 'string') raw = Buffer.from(raw, 'utf8')
  else if (!Buffer.isBuffer(raw)) return new PortWebhookRejection(415, 'unsupported_media_type')
  try {
    return await processRun(opts, raw, request.headers)
  } catch (error) {
    if (error instanceof PortWebhookRejection) return error
    throw error
  }
}

// fastify-plugin semantics without the dependency: not encapsulated, named, checked version.
portSecretFastify[Symbol.for('skip-override')] = true
portSecretFastify[Symbol.for('fastify.display-name')] = 'port-secret'
portSecretFastify[Symbol.for('plugin-meta')] = { name: 'port-secret', fastify: '>=4.10.0' }

module.exports = portSecretFastify
module.exports.default = portSecretFastify
module.exports.portSecretFastify = portSecretFastify
