// Types of port-secret. Every function and the Decryptor class are declared, with their docs, in
// the generated ./binding.d.ts (from the Rust sources); this file adds PortSecretError and names
// for the types the run methods (openWebhook, openKafkaMessage) take and return.

export {
  Decryptor,
  DecryptorOptions,
  EncryptionSpec,
  FernetOptions,
  KeyPair,
  RunOptions,
  VerifyOptions,
  decryptAes256Gcm,
  decryptAes256GcmBytes,
  encryptAes256Gcm,
  decryptClientSide,
  decryptClientSideBytes,
  encryptClientSide,
  decryptFernet,
  decryptFernetBytes,
  encryptFernet,
  generateKeyPair,
  signPayload,
  verifySignature,
  maskPieces,
  VERSION,
  RSA_BACKEND,
} from './binding'

/**
 * The `headers` of `Decryptor.openWebhook` / `openWebhookAsync`: Node's `req.headers` (a value is
 * a string or an array of strings), a WHATWG `Headers`, or any iterable of `[name, value]` pairs
 * (an array, a `Map`); names in any case. `null`/`undefined`: no headers.
 */
export type WebhookHeaders =
  | Record<string, string | readonly string[] | undefined>
  | Headers
  | Iterable<readonly [string, string | Uint8Array]>
  | null
  | undefined

/**
 * A run as `openWebhook` / `openKafkaMessage` return it: the parsed delivery (`JSON.parse`
 * semantics) with its secret inputs decrypted in place (`object` ones parsed).
 */
export type PortRun = Record<string, any>

/** The code of a {@link PortSecretError}: `ERR_PORT_SECRET_` and the error code in upper case. */
export type PortSecretErrorCode =
  | 'ERR_PORT_SECRET_INVALID_BASE64'
  | 'ERR_PORT_SECRET_MALFORMED'
  | 'ERR_PORT_SECRET_AUTHENTICATION_FAILED'
  | 'ERR_PORT_SECRET_INVALID_KEY'
  | 'ERR_PORT_SECRET_INVALID_UTF8'
  | 'ERR_PORT_SECRET_INVALID_JSON'
  | 'ERR_PORT_SECRET_EXPIRED'
  | 'ERR_PORT_SECRET_UNSUPPORTED_ENCRYPTION'
  | 'ERR_PORT_SECRET_INVALID_SIGNATURE'

/**
 * Every error this package throws (or rejects with) for bad input, a wrong key, a tampered value
 * or a bad signature. Wrong argument types are a `TypeError` instead. The message never contains
 * a secret, a key or a plaintext.
 */
export declare class PortSecretError extends Error {
  constructor(message: string, code: PortSecretErrorCode, input?: string | null)
  readonly name: 'PortSecretError'
  /** `ERR_PORT_SECRET_<CODE>`, e.g. `ERR_PORT_SECRET_AUTHENTICATION_FAILED`. */
  readonly code: PortSecretErrorCode
  /** For `decryptProperties`: the name of the input that failed (never its value). */
  readonly input?: string
}
