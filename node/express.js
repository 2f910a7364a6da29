// port-secret/express: a middleware that verifies a Port webhook on its raw body and decrypts
// the run's secret inputs, then hands the run to the next handler as `req.portRun`.
//
//   const { portWebhook } = require('port-secret/express')
//   app.post('/port/actions', portWebhook(decryptor), (req, res) => { ... req.portRun ... })
//
// The framework-neutral part (`verifyAndDecrypt`) is exported too and shared with
// port-secret/fastify. No value, secret or key is ever logged or put in a response.
'use strict'

const { PortSecretError } = require('./index.js')

const DEFAULT_LIMIT = 1024 * 1024
const DEFAULT_TOLERANCE = 300
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** A request the helpers refuse: `status` and the JSON `body` to answer with. */
class PortWebhookRejection extends Error {
  constructor(status, code, input) {
    super(`port webhook rejected: ${code}${input != null ? ` (input "${input}")` : ''}`)
    this.status = status
    this.body = input != null ? { error: code, input } : { error: code }
  }
}
Object.defineProperty(PortWebhookRejection.prototype, 'name', { value: 'PortWebhookRejection' })

/** `ERR_PORT_SECRET_AUTHENTICATION_FAILED` -> `authentication_failed`. */
function shortCode(error) {
  return String(error.code).replace(/^ERR_PORT_SECRET_/, '').toLowerCase()
}

/** RFC 6901 JSON pointer -> its reference tokens ("" is the whole document). */
function parsePointer(pointer, option) {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) {
    throw new TypeError(`${option} must be a JSON pointer ("" or starting with "/")`)
  }
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function own(object, key) {
  return isObject(object) && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined
}

function lookup(document, tokens) {
  let node = document
  for (const token of tokens) {
    node = own(node, token)
    if (node === undefined) return undefined
  }
  return node
}

/**
 * Checks and fills in the options shared by the helpers. Throws a TypeError for a bad option, at
 * set-up time rather than on the first request.
 */
function normalizeOptions(decryptor, options, where) {
  if (
    decryptor == null ||
    typeof decryptor.decryptPropertiesAsync !== 'function' ||
    typeof decryptor.verifySignature !== 'function'
  ) {
    throw new TypeError(`${where}: the first argument must be a port-secret Decryptor`)
  }
  const opts = options == null ? {} : options
  if (typeof opts !== 'object') throw new TypeError(`${where}: options must be an object`)
  const verifySignature = opts.verifySignature === undefined ? true : opts.verifySignature
  if (typeof verifySignature !== 'boolean') throw new TypeError(`${where}: verifySignature must be a boolean`)
  if (verifySignature && decryptor.clientSecretCount === 0) {
    throw new TypeError(`${where}: verifying signatures needs a Decryptor with a clientSecret`)
  }
  const tolerance = opts.tolerance === undefined ? DEFAULT_TOLERANCE : opts.tolerance
  if (!Number.isSafeInteger(tolerance) || tolerance < 0) {
    throw new TypeError(`${where}: tolerance must be a non-negative integer (seconds)`)
  }
  const limit = opts.limit === undefined ? DEFAULT_LIMIT : opts.limit
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new TypeError(`${where}: limit must be a positive integer (bytes)`)
  }
  const userInputs = opts.userInputs == null ? null : opts.userInputs
  if (userInputs !== null && !isObject(userInputs)) {
    throw new TypeError(`${where}: userInputs must be the action's userInputs object`)
  }
  return {
    decryptor,
    verifySignature,
    tolerance,
    limit,
    userInputs,
    properties: parsePointer(
      opts.propertiesPointer === undefined ? '/payload/properties' : opts.propertiesPointer,
      'propertiesPointer',
    ),
    userInputsPath: parsePointer(
      opts.userInputsPointer === undefined ? '/payload/action/userInputs' : opts.userInputsPointer,
      'userInputsPointer',
    ),
  }
}

function header(headers, name) {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * Verifies (unless disabled) and decrypts one webhook request. `raw` is the body exactly as
 * received (a Buffer), `headers` the lower-cased request headers. Resolves to the parsed body
 * with its secret inputs decrypted; rejects with a PortWebhookRejection (401: bad signature or
 * stale timestamp; 400: invalid_json, malformed, or a secret input that fails, with its name).
 */
async function processRun(opts, raw, headers) {
  if (opts.verifySignature) {
    const signature = header(headers, 'x-port-signature')
    const timestamp = header(headers, 'x-port-timestamp')
    if (!signature || !timestamp) throw new PortWebhookRejection(401, 'invalid_signature')
    try {
      opts.decryptor.verifySignature(raw, signature, timestamp, { tolerance: opts.tolerance })
    } catch (error) {
      if (error instanceof PortSecretError) throw new PortWebhookRejection(401, shortCode(error))
      throw error
    }
  }
  let body
  try {
    body = JSON.parse(utf8.decode(raw))
  } catch {
    throw new PortWebhookRejection(400, 'invalid_json')
  }
  if (!isObject(body)) throw new PortWebhookRejection(400, 'malformed')
  const userInputs = opts.userInputs ?? lookup(body, opts.userInputsPath)
  const properties = lookup(body, opts.properties)
  if (!isObject(userInputs) || !isObject(properties)) throw new PortWebhookRejection(400, 'malformed')
  let decrypted
  try {
    decrypted = await opts.decryptor.decryptPropertiesAsync(properties, userInputs)
  } catch (error) {
    if (error instanceof PortSecretError) throw new PortWebhookRejection(400, shortCode(error), error.input)
    throw error
  }
  if (opts.properties.length === 0) return decrypted
  const parent = lookup(body, opts.properties.slice(0, -1))
  parent[opts.properties[opts.properties.length - 1]] = decrypted
  return body
}

const TOO_LARGE = Symbol('too large')

/** The raw body of an Express (or plain node:http) request: a Buffer, or TOO_LARGE. */
function readRawBody(req, limit) {
  if (Buffer.isBuffer(req.body)) return Promise.resolve(req.body.length > limit ? TOO_LARGE : req.body)
  if (typeof req.body === 'string') {
    const raw = Buffer.from(req.body, 'utf8')
    return Promise.resolve(raw.length > limit ? TOO_LARGE : raw)
  }
  if (req.body != null && (req._body === true || req.readableEnded)) {
    return Promise.reject(
      new TypeError(
        'portWebhook needs the raw body, but a body parser already consumed it: mount portWebhook ' +
          "before express.json(), or use express.raw({ type: 'application/json' }) on this route",
      ),
    )
  }
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(TOO_LARGE)
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    const cleanup = () => {
      req.removeListener('data', onData)
      req.removeListener('end', onEnd)
      req.removeListener('error', onError)
      req.removeListener('aborted', onAborted)
    }
    const onData = (chunk) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        chunks.length = 0
        req.resume() // discard the rest; the response goes out now
        resolve(TOO_LARGE)
      } else {
        chunks.push(chunk)
      }
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (error) => {
      cleanup()
      reject(error)
    }
    const onAborted = () => onError(new Error('request aborted'))
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
}

function sendJson(res, status, body) {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('content-length', Buffer.byteLength(text))
  res.end(text)
}

/**
 * Express middleware (also plain node:http compatible): verifies `x-port-signature` /
 * `x-port-timestamp` on the raw body, decrypts every secret input with `decryptPropertiesAsync`
 * (off the event loop) and sets `req.portRun` to the parsed body with those inputs decrypted.
 * Answers 401 `{error}` for a missing or bad signature or a stale timestamp, 400 `{error, input}`
 * for a secret that fails, 400 `invalid_json` / `malformed` for a body that is not a Port run,
 * 413 `body_too_large` above `limit` bytes.
 */
function portWebhook(decryptor, options) {
  const opts = normalizeOptions(decryptor, options, 'portWebhook')
  return function portWebhookMiddleware(req, res, next) {
    readRawBody(req, opts.limit)
      .then((raw) => {
        if (raw === TOO_LARGE) throw new PortWebhookRejection(413, 'body_too_large')
        return processRun(opts, raw, req.headers)
      })
      .then(
        (run) => {
          req.portRun = run
          next()
        },
        (error) => {
          if (error instanceof PortWebhookRejection) sendJson(res, error.status, error.body)
          else next(error)
        },
      )
  }
}

/**
 * The framework-neutral step, for other servers: verifies and decrypts one request given its raw
 * body (Buffer or string) and lower-cased headers, with the options of `portWebhook` (`limit`
 * aside). Resolves to the run; rejects with a PortWebhookRejection (`status`, `body`).
 */
function verifyAndDecrypt(decryptor, rawBody, headers, options) {
  const opts = normalizeOptions(decryptor, options, 'verifyAndDecrypt')
  const raw = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody
  if (!(raw instanceof Uint8Array)) throw new TypeError('verifyAndDecrypt: rawBody must be a Buffer or a string')
  return processRun(opts, Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), headers ?? {})
}

module.exports = { portWebhook, verifyAndDecrypt, PortWebhookRejection }
// For port-secret/fastify only.
Object.defineProperty(module.exports, '_internal', {
  value: { normalizeOptions, processRun, PortWebhookRejection, sendJson },
})
