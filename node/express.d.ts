// Types of port-secret/express.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Decryptor, EncryptionSpec, PortRun as Run, WebhookHeaders } from './index'

/** A Port action run: the webhook body, with its secret inputs decrypted (`object` ones parsed). */
export type PortRun = Run

/** Options shared by the Express middleware and the Fastify plugin. */
export interface PortWebhookOptions {
  /**
   * Who signed the webhook: `'port'` (default: Port itself, HMAC over the raw body) or `'agent'`
   * (forwarded by port-agent, HMAC over the compact JSON of the body).
   */
  delivery?: 'port' | 'agent'
  /**
   * The action's `userInputs` (with `properties`), that `properties` map, or an array of the
   * secret inputs' names (each with `defaultEncryption`). Default: taken from the verified body
   * at `userInputsPointer`, else the body's `censoredProperties` / `encryptedProperties`.
   */
  userInputs?: Record<string, unknown> | readonly string[] | null
  /** The `encryption` of inputs known only by name (default `'aes256-gcm'`). */
  defaultEncryption?: string | EncryptionSpec
  /** Verify `x-port-signature` / `x-port-timestamp` (default true). */
  verifySignature?: boolean
  /** Largest accepted distance between `x-port-timestamp` and now, in seconds (default 300). */
  tolerance?: number
  /** JSON pointer to the inputs' values in the body (default `/payload/properties`). */
  propertiesPointer?: string
  /** JSON pointer to the action's `userInputs` in the body (default `/payload/action/userInputs`). */
  userInputsPointer?: string
  /** Largest accepted body, in bytes (default 1 MiB): larger is 413 `body_too_large`. */
  maxBody?: number
  /** Alias of `maxBody` (a TypeError when both are given and differ). */
  limit?: number
}

/** The JSON answer to a refused request: `{ error: code }`, plus `input` for a failing secret. */
export interface PortWebhookErrorBody {
  error: string
  input?: string
}

/** A refused request: the HTTP status (401, 400, 413) and JSON body to answer with. */
export declare class PortWebhookRejection extends Error {
  readonly name: 'PortWebhookRejection'
  readonly status: number
  readonly body: PortWebhookErrorBody
}

/** A request after the middleware ran. */
export interface PortWebhookRequest extends IncomingMessage {
  body?: unknown
  portRun?: PortRun
}

/**
 * Express middleware (also plain `node:http` compatible): reads the raw body (from the request,
 * or a Buffer `req.body` from `express.raw()`), opens the run with one
 * `decryptor.openWebhookAsync` call and sets `req.portRun`. Answers 401 `{error}` (bad or missing
 * signature, stale timestamp), 400 `{error, input}` (a secret that fails, `invalid_json`,
 * `malformed`), 413 `body_too_large`. A 413 goes out at once with `Connection: close`; the rest of
 * the body is then read and discarded up to 8 MiB or 5 s, after which the connection is closed.
 */
export declare function portWebhook(
  decryptor: Decryptor,
  options?: PortWebhookOptions,
): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

/**
 * The framework-neutral step: opens one request given its raw body and headers (an object, a
 * `Headers` or `[name, value]` pairs; names in any case). Rejects with a
 * {@link PortWebhookRejection}.
 */
export declare function verifyAndDecrypt(
  decryptor: Decryptor,
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  options?: PortWebhookOptions,
): Promise<PortRun>

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by port-secret/express: the verified run, secret inputs decrypted. */
      portRun?: PortRun
    }
  }
}
