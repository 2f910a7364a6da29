// The masking rule (port-secret's maskPieces, as src/mask.js uses it) and the input parsing of
// src/, on their own.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { maskPieces } from 'port-secret'
import { secretsToMask as secretsToMaskWith } from '../src/mask.js'
import { ActionInputError, contextOutputs, envName, parseDefinitions, parseValues } from '../src/inputs.js'
import { describeError } from '../src/main.js'

const secretsToMask = (value) => secretsToMaskWith(maskPieces, value)

test('a line is masked on its own when it has a letter or digit and is not PEM armor', () => {
  for (const line of ['a', '7', 'é', '秘', '"password": "x",', '-----BEGIN-ish secret']) {
    assert.ok(secretsToMask(`first line\n${line}\n`).has(line), line)
  }
  for (const line of ['{', '}', '],', '---', '"":', '-----BEGIN PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', '-----BEGIN CERTIFICATE-----']) {
    assert.ok(!secretsToMask(`first line\n${line}\n`).has(line), line)
  }
})

test('a string: whole, its JSON-escaped form, each non-trivial line trimmed', () => {
  assert.deepEqual([...secretsToMask('hunter2')], ['hunter2'])
  assert.deepEqual([...secretsToMask('a"b')], ['a"b', 'a\\"b'])
  assert.deepEqual([...secretsToMask('{\n  "k": "v1"\n}\n')], ['{\n  "k": "v1"\n}\n', '{\\n  \\"k\\": \\"v1\\"\\n}\\n', '"k": "v1"', '\\"k\\": \\"v1\\"'])
  assert.deepEqual([...secretsToMask('one\r\ntwo\r\n')], ['one\r\ntwo\r\n', 'one\\r\\ntwo\\r\\n', 'one', 'two'])
  // A one-line secret of punctuation is still masked whole; white space only is not.
  assert.deepEqual([...secretsToMask('!@#$')], ['!@#$'])
  assert.deepEqual([...secretsToMask('   ')], [])
  assert.deepEqual([...secretsToMask('')], [])
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n'
  assert.deepEqual([...secretsToMask(pem)].slice(2), ['MIIEvQIBADANBgkq', 'hkiG9w0BAQEFAASC'])
})

test('an object: its compact JSON, every string leaf and its lines; numbers and {} skipped', () => {
  const masks = secretsToMask({ user: 'admin', pw: 'x\ny', port: 5432, deep: [{ t: 'tok' }], empty: {} })
  assert.deepEqual([...masks], ['{"user":"admin","pw":"x\\ny","port":5432,"deep":[{"t":"tok"}],"empty":{}}', 'admin', 'x\ny', 'x\\ny', 'x', 'y', 'tok'])
  assert.deepEqual([...secretsToMask({})], [])
  assert.deepEqual([...secretsToMask(null)], [])
  assert.deepEqual([...secretsToMask(undefined)], [])
  // Numbers in the compact JSON as JSON.stringify spells them (the output is that text).
  const numbers = { pin: 1e21, rate: 0.1, big: 2 ** 60, neg: -0 }
  assert.deepEqual([...secretsToMask(numbers)], [JSON.stringify(numbers)])
})

test('values: toJSON(inputs) JSON or name=value lines; empty is absent', () => {
  assert.deepEqual(parseValues('{\n  "a": "QUJD==",\n  "b": "",\n  "c": true\n}'), { a: 'QUJD==', b: null, c: true })
  assert.deepEqual(parseValues('a = QUJD==\n# note\n\nb=\r\nc=x=y'), { a: 'QUJD==', b: null, c: 'x=y' })
  assert.throws(() => parseValues('a=1\na=2'), /"a" twice/)
  assert.throws(() => parseValues('[1]'), ActionInputError)
  assert.throws(() => parseValues('{"a": QUJD}'), (e) => e instanceof ActionInputError && !e.message.includes('QUJD'))
})

test('definitions: secret-inputs with encryption, or userInputs', () => {
  const none = { secretInputs: '', userInputs: '', encryption: '' }
  assert.deepEqual(parseDefinitions({ ...none, secretInputs: 'a, b:object\nc' }), {
    userInputs: { properties: { a: { type: 'string', encryption: 'aes256-gcm' }, b: { type: 'object', encryption: 'aes256-gcm' }, c: { type: 'string', encryption: 'aes256-gcm' } } },
    secretNames: ['a', 'b', 'c'],
    required: true,
  })
  const spec = { algorithm: 'client-side', key: 'PEM' }
  assert.deepEqual(parseDefinitions({ ...none, secretInputs: 'k', encryption: JSON.stringify(spec) }).userInputs.properties.k, { type: 'string', encryption: spec })
  assert.throws(() => parseDefinitions({ ...none, secretInputs: 'a:number' }), /not a name or name:object/)
  const props = { a: { type: 'string', encryption: 'aes256-gcm' }, r: { type: 'string' } }
  for (const form of [{ properties: props }, props, { trigger: { userInputs: { properties: props } } }]) {
    assert.deepEqual(parseDefinitions({ ...none, userInputs: JSON.stringify(form) }).secretNames, ['a'])
  }
  assert.throws(() => parseDefinitions(none), /give secret-inputs/)
})

test('port-context outputs', () => {
  assert.deepEqual(contextOutputs(''), {})
  assert.deepEqual(contextOutputs('{"run_id":"r1","blueprint":{"identifier":"bp"},"entity":"e1","n":null}'), {
    'run-id': 'r1', blueprint: 'bp', 'entity-identifier': 'e1', 'context-run_id': 'r1', 'context-blueprint': '{"identifier":"bp"}', 'context-entity': 'e1',
  })
  assert.equal(contextOutputs('{"run":{"id":"r2"}}')['run-id'], 'r2')
  assert.throws(() => contextOutputs('"r1"'), /must be a JSON object/)
})

test('env names: upper case, _ for other characters, reserved names refused', () => {
  assert.equal(envName('db-password'), 'DB_PASSWORD')
  assert.equal(envName('api.key'), 'API_KEY')
  for (const name of ['path', 'node_options', 'github_token', 'runner-temp', '1abc', 'input_x']) assert.throws(() => envName(name), ActionInputError, name)
})

test('failure messages: code and input, nothing else from the error', () => {
  const error = Object.assign(new Error('msg that must not show'), { code: 'ERR_PORT_SECRET_MALFORMED', input: 'db' })
  assert.equal(describeError(error), 'port-secret: ERR_PORT_SECRET_MALFORMED on input "db" (the value is not what this encryption produces, or not a string)')
  assert.equal(describeError(new SyntaxError('Unexpected token "QUJD"')), 'port-secret: unexpected SyntaxError')
  assert.equal(describeError(new ActionInputError('values is not valid JSON')), 'port-secret: values is not valid JSON')
})
