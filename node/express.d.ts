// Types of port-secret/express.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { Decryptor } from './index'

/** A Port action run: the webhook body, with its secret inputs decrypted (`object` ones parsed). */
export type PortRun = Record<string, any>

/** Options shared by the Express middleware and the Fastify plugin. */
export interface PortWebhookOptions {
  /**
   * The action's `userInputs` (with `properties`) or that `properties` map. Default: taken from
   * the verified body at `userInputsPointer`.
   */
  userInputs?: Record<string, unknown> | null
  /** Verify `x-port-signature` / `x-port-timestamp` on the raw body (default true). */
  verifySignature?: boolean
  /** Largest accepted distance between `x-port-timestamp` and now, in seconds (default 300). */
  tolerance?: number
  /** JSON pointer to the inputs' values in the body (default `/payload/properties`). */
  propertiesPointer?: string
  /** JSON pointer to the action's `userInputs` in the body (default `/payload/action/userInputs`). */
  userInputsPointer?: string
  /** Largest accepted body, in bytes (default 1 MiB): larger is 413 `body_too_large`. */
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
 * Express middleware (also plain `node:http` compatible): verifies the signature on the raw body
 * (read from the request, or a Buffer `req.body` from `express.raw()`), decrypts the secret inputs
 * with `decryptPropertiesAsync` and sets `req.portRun`. Answers 401 `{error}` (bad or missing
 * signature, stale timestamp), 400 `{error, input}` (a secret that fails), 400 `invalid_json` /
 * `malformed`, 413 `body_too_large`.
 */
export declare function portWebhook(
  decryptor: Decryptor,
  options?: PortWebhookOptions,
): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

/**
 * The framework-neutral step: verifies and decrypts one request given its raw body and
 * lower-cased headers. Rejects with a {@link PortWebhookRejection}.
 */
export declare function verifyAndDecrypt(
  decryptor: Decryptor,
  rawBody: string | Uint8Array,
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
  options?: Omit<PortWebhookOptions, 'limit'>,
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
