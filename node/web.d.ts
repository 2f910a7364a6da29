// Types of port-secret/web.
import type { Decryptor } from './index'
import type { PortRun as Run, PortWebhookOptions as Options } from './express'

export type PortRun = Run
/** The options of port-secret/express (`maxBody`: the body cap, 1 MiB; larger is 413; `limit` is its alias). */
export type PortWebhookOptions = Options
export { PortWebhookRejection } from './express'

/**
 * What {@link openRun} resolves to: the verified run, or the `Response` to return for a refused
 * request (401 `{error}`, 400 `{error, input}`, 413 `{error: "body_too_large"}`).
 */
export type OpenRunResult = { run: PortRun; response: undefined } | { run: undefined; response: Response }

/**
 * Opens the Port run a WHATWG `Request` carries (Next.js route handlers, Hono's `c.req.raw`, any
 * `fetch`-style server): reads its body, at most `maxBody` bytes (`Content-Length` checked first,
 * then the stream, cancelled past the cap), and opens it with one `decryptor.openWebhookAsync`
 * call with `request.headers`. Never rejects for a bad request: a refused one resolves to
 * `{ response }`. Rejects with a TypeError for bad options or a body already read.
 */
export declare function openRun(decryptor: Decryptor, request: Request, options?: PortWebhookOptions): Promise<OpenRunResult>

/**
 * A route handler that opens the run first (a Next.js `export const POST = portRoute(...)`):
 * `handler(run, request, ...rest)` is called only for a verified run and returns a `Response`, or
 * any other value, sent as JSON with status 200 (`undefined`: 204). A refused request gets the
 * `Response` of {@link openRun}.
 */
export declare function portRoute<Rest extends unknown[] = unknown[]>(
  decryptor: Decryptor,
  handler: (run: PortRun, request: Request, ...rest: Rest) => unknown,
  options?: PortWebhookOptions,
): (request: Request, ...rest: Rest) => Promise<Response>
