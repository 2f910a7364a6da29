// port-secret/express: a middleware that opens a Port webhook run in one call into port-secret
// (size cap, signature on the raw body, JSON parse, secret inputs decrypted: Decryptor's
// openWebhookAsync) and hands the run to the next handler as `req.portRun`. This file adds only
// HTTP: reading the raw body, the status codes.
//
//   const { portWebhook } = require('port-secret/express')
//   app.post('/port/actions', portWebhook(decryptor), (req, res) => { ... req.portRun ... })
//
// The framework-neutral part (`verifyAndDecrypt`) is exported too; the option checks and the
// code -> status mapping (`rejectionFor`) are shared with port-secret/fastify, /web, /lambda and
// /kafkajs. No value, secret or key is ever logged or put in a response.
'use strict'

const { PortSecretError } = require('./index.js')

const DEFAULT_LIMIT = 1024 * 1024
const DELIVERIES = new Set(['port', 'agent'])

/** A request the helpers refuse: `status` and the JSON `body` to answer with. */
class PortWebhookRejection extends Error {
  constructor(status, code, input) {
    super(`port webhook rejected: ${code}${input != null ? ` (input "${input}")` : ''}`)
    this.status = status
    this.body = input != null ? { error: code, input } : { error: code }
  }
}
Object.defineProperty(PortWebhookRejection.prototype, 'name', { value: 'PortWebhookRejection' })

function isPointer(value) {
  return typeof value === 'string' && (value === '' || value.startsWith('/'))
}

/**
 * Checks the options shared by the helpers and turns them into the options of
 * `Decryptor.openWebhookAsync`. Throws a TypeError for a bad option, at set-up time rather than
 * on the first request.
 */
function normalizeOptions(decryptor, options, where) {
  if (decryptor == null || typeof decryptor.openWebhookAsync !== 'function') {
    throw new TypeError(`${where}: the first argument must be a port-secret Decryptor`)
  }
  const opts = options == null ? {} : options
  if (typeof opts !== 'object') throw new TypeError(`${where}: options must be an object`)
  const delivery = opts.delivery === undefined ? 'port' : opts.delivery
  if (!DELIVERIES.has(delivery)) throw new TypeError(`${where}: delivery must be 'port' or 'agent'`)
  const verifySignature = opts.verifySignature === undefined ? true : opts.verifySignature
  if (typeof verifySignature !== 'boolean') throw new TypeError(`${where}: verifySignature must be a boolean`)
  if (verifySignature && decryptor.clientSecretCount === 0) {
    throw new TypeError(`${where}: verifying signatures needs a Decryptor with a clientSecret`)
  }
  const tolerance = opts.tolerance === undefined ? undefined : opts.tolerance
  if (tolerance !== undefined && (!Number.isSafeInteger(tolerance) || tolerance < 0)) {
    throw new TypeError(`${where}: tolerance must be a non-negative integer (seconds)`)
  }
  // `maxBody` (the name of the run option in every language); `limit` is its older alias.
  if (opts.maxBody !== undefined && opts.limit !== undefined && opts.maxBody !== opts.limit) {
    throw new TypeError(`${where}: maxBody and limit (its alias) disagree: give one`)
  }
  const limit = opts.maxBody !== undefined ? opts.maxBody : opts.limit === undefined ? DEFAULT_LIMIT : opts.limit
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new TypeError(`${where}: maxBody must be a positive integer (bytes)`)
  }
  const userInputs = opts.userInputs == null ? undefined : opts.userInputs
  if (userInputs !== undefined && typeof userInputs !== 'object') {
    throw new TypeError(`${where}: userInputs must be the action's userInputs object or an array of input names`)
  }
  for (const name of ['propertiesPointer', 'userInputsPointer']) {
    if (opts[name] !== undefined && !isPointer(opts[name])) {
      throw new TypeError(`${where}: ${name} must be a JSON pointer ("" or starting with "/")`)
    }
  }
  const defaultEncryption = opts.defaultEncryption
  if (defaultEncryption !== undefined && typeof defaultEncryption !== 'string' && (typeof defaultEncryption !== 'object' || defaultEncryption === null)) {
    throw new TypeError(`${where}: defaultEncryption must be a string or an object {algorithm, key}`)
  }
  return {
    decryptor,
    limit,
    run: {
      delivery,
      verifySignature,
      tolerance,
      userInputs,
      propertiesPointer: opts.propertiesPointer,
      userInputsPointer: opts.userInputsPointer,
      defaultEncryption,
      maxBody: limit,
    },
  }
}

/**
 * `decryptor[name + 'Async']`, or the sync `decryptor[name]` when the Decryptor holds no private
 * key: then a run costs no RSA, only HMAC, a JSON parse and AES-GCM (about 14 µs for a 2 KiB run
 * with three secret inputs; 1 MiB, the body cap, in a few ms), less than the hop to the thread
 * pool and back. With a private key (RSA-OAEP, about 0.4 ms per client-side input) the run is
 * opened on the pool, off the event loop.
 */
function openOn(decryptor, name) {
  const method = decryptor.privateKeyCount > 0 ? decryptor[`${name}Async`] : decryptor[name]
  return method.bind(decryptor)
}

/**
 * Opens one webhook run: `raw` is the body exactly as received (a Buffer), `headers` the request
 * headers (any case). Resolves to the parsed body with its secret inputs decrypted; rejects with
 * a PortWebhookRejection: 401 `{error}` for a missing or bad signature or a stale timestamp
 * (`invalid_signature`, `expired`), 400 `{error, input}` for anything else port-secret refuses
 * (`input` when the error names one).
 */
async function processRun(opts, raw, headers) {
  try {
    return await openOn(opts.decryptor, 'openWebhook')(raw, headers, opts.run)
  } catch (error) {
    throw rejectionFor(error) ?? error
  }
}

/**
 * The one code -> status mapping of every port-secret helper (Express, Fastify, Web `Request`,
 * Lambda, Kafka): a PortSecretError becomes a PortWebhookRejection, 401 `{error}` for
 * `invalid_signature` / `expired`, 400 `{error, input}` for any other code. Anything else (a
 * TypeError, an I/O error): null.
 */
function rejectionFor(error) {
  if (!(error instanceof PortSecretError)) return null
  const code = String(error.code).replace(/^ERR_PORT_SECRET_/, '').toLowerCase()
  if (code === 'invalid_signature' || code === 'expired') return new PortWebhookRejection(401, code)
  return new PortWebhookRejection(400, code, error.input)
}

const TOO_LARGE = Symbol('too large')

/** The raw body of an Express (or plain node:http) request: a Buffer, or TOO_LARGE. */
function readRawBody(req, limit) {
  if (Buffer.isBuffer(req.body)) return Promise.resolve(req.body.length > limit ? TOO_LARGE : req.body)
  // A string body (express.text) was decoded with the request's charset and lost any BOM: the
  // signed bytes cannot be rebuilt from it, so it is refused like any other parsed body.
  if (req.body != null && (typeof req.body === 'string' || req._body === true || req.readableEnded)) {
    return Promise.reject(
      new TypeError(
        'portWebhook needs the raw body, but a body parser already consumed it: mount portWebhook ' +
          "before express.json() / express.text(), or use express.raw({ type: 'application/json' }) on this route",
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
        req.pause() // refuseTooLarge drains (a bounded part of) the rest
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

// After a 413 the client may still be sending: closing at once makes it fail on EPIPE before it
// reads the answer, reading on forever lets an endless upload hold the connection. So the answer
// goes out at once with `Connection: close`, then at most DRAIN_BYTES more bytes are read and
// discarded within DRAIN_MS; past either bound the socket is destroyed.
const DRAIN_BYTES = 8 * 1024 * 1024
const DRAIN_MS = 5000

/** Answers 413 `body_too_large`, drains a bounded rest of the body, then closes the connection. */
function refuseTooLarge(req, res) {
  const body = { error: 'body_too_large' }
  if (res.headersSent || req.complete) {
    sendJson(res, 413, body)
    return
  }
  const text = JSON.stringify(body)
  res.statusCode = 413
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('content-length', Buffer.byteLength(text))
  res.setHeader('connection', 'close')
  // The whole answer, written now; end() (after which node closes the socket) waits for the drain.
  res.write(text)
  let drained = 0
  let done = false
  const finish = (cut) => {
    if (done) return
    done = true
    clearTimeout(timer)
    req.removeListener('data', onData)
    res.end()
    if (cut) req.socket?.destroy()
  }
  const onData = (chunk) => {
    drained += chunk.length
    if (drained > DRAIN_BYTES) finish(true)
  }
  const timer = setTimeout(() => finish(true), DRAIN_MS).unref()
  req.on('data', onData)
  req.once('end', () => finish(false))
  req.once('error', () => finish(true))
  req.once('close', () => finish(!req.complete))
  req.resume()
}

/**
 * Express middleware (also plain node:http compatible): reads the raw body and opens the run with
 * one `decryptor.openWebhookAsync` call (signature per `delivery`, parse, decryption, all off the
 * event loop), then sets `req.portRun` to the parsed body with its secret inputs decrypted.
 * Answers 401 `{error}` for a missing or bad signature or a stale timestamp, 400 `{error, input}`
 * for anything else refused (a secret that fails, `invalid_json`, `malformed`), 413
 * `body_too_large` above `maxBody` bytes (`limit`: its alias), with `Connection: close` and a
 * bounded drain of the rest (DRAIN_BYTES, DRAIN_MS).
 */
function portWebhook(decryptor, options) {
  const opts = normalizeOptions(decryptor, options, 'portWebhook')
  return function portWebhookMiddleware(req, res, next) {
    readRawBody(req, opts.limit)
      .then((raw) => {
        if (raw === TOO_LARGE) return TOO_LARGE
        return processRun(opts, raw, req.headers)
      })
      .then(
        (run) => {
          if (run === TOO_LARGE) return refuseTooLarge(req, res)
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
 * The framework-neutral step, for other servers: opens one request given its raw body (Buffer,
 * Uint8Array or string) and headers (an object, a Headers or [name, value] pairs; any case), with
 * the options of `portWebhook` (`maxBody` caps the body: larger is 400 `malformed` here). Resolves
 * to the run; rejects with a PortWebhookRejection (`status`, `body`).
 */
function verifyAndDecrypt(decryptor, rawBody, headers, options) {
  const opts = normalizeOptions(decryptor, options, 'verifyAndDecrypt')
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new TypeError('verifyAndDecrypt: rawBody must be a Buffer, a Uint8Array or a string')
  }
  return processRun(opts, rawBody, headers ?? null)
}

module.exports = { portWebhook, verifyAndDecrypt, PortWebhookRejection }
// For the other helpers of this package (fastify, web, lambda, kafkajs) only.
Object.defineProperty(module.exports, '_internal', {
  value: { normalizeOptions, processRun, openOn, rejectionFor, PortWebhookRejection, sendJson, DEFAULT_LIMIT, DRAIN_BYTES, DRAIN_MS },
})
