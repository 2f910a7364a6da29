// Shared by the tests: where the shared vectors are, and the checks every error must pass.
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'

import { PortSecretError } from 'port-secret'

const here = dirname(fileURLToPath(import.meta.url))

/** tests/vectors of the repository (PORT_SECRET_VECTORS overrides, for an installed copy). */
export const vectorsDir = resolve(process.env.PORT_SECRET_VECTORS ?? join(here, '..', '..', 'tests', 'vectors'))

/** Every `<dir>/<format>_<source>_test.json` of the shared vectors. */
export function vectorFiles() {
  const files = []
  for (const dir of ['aes256_gcm', 'client_side', 'fernet', 'signature']) {
    for (const name of readdirSync(join(vectorsDir, dir)).sort()) {
      if (name.endsWith('_test.json')) files.push(join(vectorsDir, dir, name))
    }
  }
  return files
}

const pemCache = new Map()
/** A PEM of tests/vectors/keys/. */
export function keyFile(name) {
  if (!pemCache.has(name)) pemCache.set(name, readFileSync(join(vectorsDir, 'keys', name), 'utf8'))
  return pemCache.get(name)
}

/** `ERR_PORT_SECRET_` + the snake_case code in upper case. */
export function jsCode(code) {
  return `ERR_PORT_SECRET_${code.toUpperCase()}`
}

/**
 * Asserts `error` is a PortSecretError with `code` (snake_case) and that neither its message, its
 * stack nor util.inspect of it contains any of `secrets`.
 */
export function assertPortError(error, code, secrets = []) {
  assert.ok(error instanceof PortSecretError, `expected PortSecretError, got ${inspect(error)}`)
  assert.ok(error instanceof Error)
  assert.equal(error.name, 'PortSecretError')
  assert.equal(error.code, jsCode(code))
  assert.ok(error.message.startsWith(`${code}: `), error.message)
  assertNoSecret(error, secrets)
}

/** Asserts that no secret (string, at least 8 characters) appears in `error`'s text forms. */
export function assertNoSecret(error, secrets) {
  const shown = [error.message, String(error.stack), inspect(error, { depth: 5, showHidden: true })]
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < 8) continue
    for (const text of shown) {
      assert.ok(!text.includes(secret), 'a secret appears in an error')
    }
  }
}

/** Runs `fn`, returns what it threw (fails if it did not throw). */
export function thrown(fn) {
  try {
    fn()
  } catch (error) {
    return error
  }
  assert.fail('expected an exception')
}

/** Awaits `promise`, returns its rejection (fails if it resolved). */
export async function rejected(promise) {
  try {
    await promise
  } catch (error) {
    return error
  }
  assert.fail('expected a rejection')
}
