// port-secret/web: Port webhook runs from a WHATWG `Request` (Next.js route handlers, Hono, Remix,
// SvelteKit, Deno-style `fetch(request)` servers, Node's own `Request`). It reads the body bytes
// under a size cap and hands them, with `request.headers`, to one `decryptor.openWebhookAsync` call
// (size cap, signature, JSON parse, secret inputs decrypted: all in Rust). This file adds only HTTP:
// reading the body, the `Response` for a refused request.
//
//   const { openRun } = require('port-secret/web')
//   export async function POST(request) {
//     const { run, response } = await openRun(decryptor, request)
//     if (response) return response            // 401 / 400 / 413, the body says why
//     ... run.payload.properties ...
//   }
//
// Same answers as port-secret/express (one mapping, shared): 401 `{error}` for a missing or bad
// signature or a stale timestamp, 400 `{error, input}` for anything else refused, 413
// `{error: "body_too_large"}` above `limit` bytes. No value, secret or key is ever logged or put in
// a response.
'use strict'

const { _internal } = require('./express.js')

const { normalizeOptions, processRun, PortWebhookRejection } = _internal

const TOO_LARGE = Symbol('too large')

/**
 * The body of a `Request` as bytes, or TOO_LARGE: refused at once when `Content-Length` says more
 * than `limit`, else read chunk by chunk and abandoned (the stream cancelled) as soon as it passes
 * `limit`, so an unbounded body is never buffered.
 */
async function readBody(request, limit) {
  if (request.bodyUsed) {
    throw new TypeError(
      'openRun needs the raw body, but it was already read (request.json(), request.text(), a body ' +
        'parser): call openRun on the request first',
    )
  }
  const declared = request.headers.get('content-length')
  if (declared != null && declared.trim() !== '' && Number(declared) > limit) {
    await cancel(request.body)
    return TOO_LARGE
  }
  const stream = request.body
  if (stream == null) return new Uint8Array(0)
  const reader = stream.getReader()
  const chunks = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      chunks.length = 0
      await reader.cancel().catch(() => {})
      return TOO_LARGE
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]
  const body = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    body.set(chunk, at)
    at += chunk.byteLength
  }
  return body
}

async function cancel(stream) {
  if (stream != null && !stream.locked) await stream.cancel().catch(() => {})
}

/** The `Response` for a refused request: its status and JSON body. */
function rejectionResponse(rejection) {
  return new Response(JSON.stringify(rejection.body), {
    status: rejection.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

function checkRequest(request, where) {
  if (request == null || typeof request !== 'object' || typeof request.headers?.get !== 'function' || !('body' in request)) {
    throw new TypeError(`${where}: the request must be a WHATWG Request (with headers and body)`)
  }
}

/**
 * Opens the Port run a `Request` carries: reads its body (at most `limit` bytes, 1 MiB by default)
 * and opens it with one `decryptor.openWebhookAsync` call. Resolves to `{ run }` (the parsed body,
 * secret inputs decrypted) or `{ response }`, a `Response` to return as is: 401 `{error}`, 400
 * `{error, input}`, 413 `{error: "body_too_large"}`. Never rejects for a bad request; rejects only
 * for a programming error (a TypeError: bad options, a body already read) or a failed read.
 */
async function openRun(decryptor, request, options) {
  const opts = normalizeOptions(decryptor, options, 'openRun')
  checkRequest(request, 'openRun')
  return openWith(opts, request)
}

async function openWith(opts, request) {
  const body = await readBody(request, opts.limit)
  if (body === TOO_LARGE) return { run: undefined, response: rejectionResponse(new PortWebhookRejection(413, 'body_too_large')) }
  try {
    return { run: await processRun(opts, body, request.headers), response: undefined }
  } catch (error) {
    if (error instanceof PortWebhookRejection) return { run: undefined, response: rejectionResponse(error) }
    throw error
  }
}

/**
 * A route handler that opens the run first: `portRoute(decryptor, handler, options)` returns
 * `(request, ...rest) => Promise<Response>` (a Next.js `POST` export, a Hono handler through
 * `(c) => route(c.req.raw)`). `handler(run, request, ...rest)` is called only with a verified run;
 * it returns a `Response`, or any other value, sent as JSON with status 200 (`undefined`: 204). A
 * refused request gets the `Response` of `openRun`.
 */
function portRoute(decryptor, handler, options) {
  const opts = normalizeOptions(decryptor, options, 'portRoute')
  if (typeof handler !== 'function') throw new TypeError('portRoute: the handler must be a function')
  return async function portRouteHandler(request, ...rest) {
    checkRequest(request, 'portRoute')
    const { run, response } = await openWith(opts, request)
    if (response) return response
    const result = await handler(run, request, ...rest)
    if (result instanceof Response) return result
    if (result === undefined) return new Response(null, { status: 204 })
    return new Response(JSON.stringify(result ?? null), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } })
  }
}

module.exports = { openRun, portRoute, PortWebhookRejection }
