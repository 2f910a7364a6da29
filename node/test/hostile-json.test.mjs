// Hostile JavaScript values given as JSON (properties, userInputs, an encryption object): cyclic,
// very deep, or a shared-object DAG that is shallow but exponential to walk. Each is a
// PortSecretError `malformed` after bounded work, never a native stack overflow or a hang
// (napi's serde deserializer used to recurse without a limit: a cyclic object crashed the process).
import assert from 'node:assert/strict'
import { test } from 'node:test'

import * as ps from 'port-secret'

import { assertPortError, rejected, thrown } from './helpers.mjs'

const SECRET = 'hostile-json-client-secret-0123456789abcdef'

function deep(n) {
  let x = {}
  for (let i = 0; i < n; i++) x = { x }
  return x
}

const HOSTILE = {
  'cyclic object': () => {
    const x = {}
    x.self = x
    return x
  },
  'cyclic array': () => {
    const x = []
    x.push(x)
    return x
  },
  'one million levels': () => deep(1_000_000),
  '129 levels': () => deep(129),
  'sparse array of length 2^32 - 1': () => {
    const x = []
    x.length = 2 ** 32 - 1
    return x
  },
  'shared-object DAG': () => {
    let x = 'leaf'
    for (let i = 0; i < 60; i++) x = [x, x]
    return x
  },
}

for (const [name, make] of Object.entries(HOSTILE)) {
  test(`hostile JSON (${name}) is malformed in properties, userInputs and encryption`, async () => {
    const d = new ps.Decryptor({ clientSecret: SECRET })
    const secret = ps.encryptAes256Gcm('the plaintext', SECRET)
    const value = make()
    const defs = { pw: { encryption: 'aes256-gcm' } }
    assertPortError(thrown(() => d.decryptProperties({ pw: secret, other: value }, defs)), 'malformed', ['the plaintext'])
    assertPortError(await rejected(d.decryptPropertiesAsync({ pw: secret, other: value }, defs)), 'malformed')
    assertPortError(
      thrown(() => d.decryptProperties({ pw: secret }, { pw: { encryption: 'aes256-gcm', extra: value } })),
      'malformed',
    )
    assertPortError(thrown(() => d.decrypt(secret, { algorithm: 'aes256-gcm', extra: value })), 'malformed')
  })
}

test('values JSON cannot hold are a TypeError, not a crash', () => {
  const d = new ps.Decryptor({ clientSecret: SECRET })
  for (const value of [10n ** 30n, () => 1, Symbol('s'), [undefined], Number.NaN, Buffer.from('ab'), new Uint8Array(4)]) {
    const error = thrown(() => d.decryptProperties({ other: value }, {}))
    assert.ok(error instanceof TypeError, String(error))
    assert.equal(error.code, 'ERR_INVALID_ARG_TYPE')
  }
  const getter = {
    get boom() {
      throw new Error('getter')
    },
  }
  assert.ok(thrown(() => d.decryptProperties(getter, {})) instanceof TypeError)
})

test('120 levels of nesting pass through unchanged', () => {
  const d = new ps.Decryptor({ clientSecret: SECRET })
  const props = { other: deep(120) }
  assert.deepEqual(d.decryptProperties(props, {}), props)
})
