// port-secret: Port secret-input cryptography for Node.js.
//
// The functions and the Decryptor class come straight from the native addon (loaded by the
// generated ./binding.js). This file adds only what Rust cannot: the PortSecretError class, which
// the addon constructs for every error once it is registered below, and a util.inspect that
// shows a Decryptor's key counts and nothing else.
'use strict'

const binding = require('./binding.js')

/** Every error of this package: `code` is `ERR_PORT_SECRET_<CODE>`, `input` names the failing input. */
class PortSecretError extends Error {
  constructor(message, code, input) {
    super(message)
    this.code = code
    if (input != null) this.input = input
  }
}
Object.defineProperty(PortSecretError.prototype, 'name', {
  value: 'PortSecretError',
  writable: true,
  configurable: true,
})

binding.setErrorClass(PortSecretError)

const inspect = Symbol.for('nodejs.util.inspect.custom')
Object.defineProperty(binding.Decryptor.prototype, inspect, {
  value: function inspectDecryptor() {
    return `Decryptor { clientSecrets: ${this.clientSecretCount}, privateKeys: ${this.privateKeyCount} }`
  },
})

// Named exports one by one, so that `import { decryptAes256Gcm } from 'port-secret'` works from ESM.
exports.PortSecretError = PortSecretError
exports.Decryptor = binding.Decryptor
exports.decryptAes256Gcm = binding.decryptAes256Gcm
exports.decryptAes256GcmBytes = binding.decryptAes256GcmBytes
exports.encryptAes256Gcm = binding.encryptAes256Gcm
exports.decryptClientSide = binding.decryptClientSide
exports.decryptClientSideBytes = binding.decryptClientSideBytes
exports.encryptClientSide = binding.encryptClientSide
exports.decryptFernet = binding.decryptFernet
exports.decryptFernetBytes = binding.decryptFernetBytes
exports.encryptFernet = binding.encryptFernet
exports.generateKeyPair = binding.generateKeyPair
exports.signPayload = binding.signPayload
exports.verifySignature = binding.verifySignature
exports.maskPieces = binding.maskPieces
exports.VERSION = binding.VERSION
exports.RSA_BACKEND = binding.RSA_BACKEND
