// dist/index.js under a simulated runner (see helpers.mjs): exact outputs and env, the heredoc
// syntax of GITHUB_OUTPUT / GITHUB_ENV, and no secret line readable in anything written before
// it was masked. Ciphertexts are made with the Node package, as Port makes them.
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { encryptAes256Gcm, encryptClientSide, generateKeyPair } from 'port-secret'
import { actionDir, checkLog, parseFileCommands, repoRoot, runAction, secretFragments } from './helpers.mjs'

const CLIENT_SECRET = 'test-only-client-secret-0123456789abcdef'
const { privateKey, publicKey } = generateKeyPair(2048)
const OTHER = generateKeyPair(2048)

// Hostile plaintexts: workflow commands, escapes, shell, a PEM, CR LF, a fake heredoc.
const PLAIN = {
  db_password: 'p@ss%w0rd::x$(id)`id`"q\'',
  multi_line: 'first line of it\nsecond %0A line %25\n::set-output name=x::y\n##vso[task.setvariable variable=x]y\n{\n}\n',
  commands: '::set-output name=x::y',
  crlf_value: 'crlf line one\r\ncrlf line two\r\n',
  tls_key: OTHER.privateKey,
  injection: 'harmless<<EOF\nPATH=/tmp/evil\nEOF\nNODE_OPTIONS=--require=/tmp/evil.js',
  unicode: 'pässwörd ✓ 秘密',
}
const PORT_CONTEXT = JSON.stringify({ runId: 'r_gh_1', blueprint: 'service', entity: { identifier: 'svc-a', title: 'Service A' }, trigger: { by: { user: { email: 'u@example.com' } } } })
const CONTEXT_OUTPUTS = {
  'run-id': 'r_gh_1',
  blueprint: 'service',
  'entity-identifier': 'svc-a',
  'context-runId': 'r_gh_1',
  'context-blueprint': 'service',
  'context-entity': '{"identifier":"svc-a","title":"Service A"}',
  'context-trigger': '{"by":{"user":{"email":"u@example.com"}}}',
}

function encryptAll(plain) {
  return Object.fromEntries(Object.entries(plain).map(([name, text]) => [name, encryptAes256Gcm(text, CLIENT_SECRET)]))
}

function allFragments(values) {
  return Object.values(values).flatMap(secretFragments)
}

test('secret-inputs, name=value lines, export-env, port-context: exact outputs and env, all masked first', () => {
  const cipher = encryptAll(PLAIN)
  const run = runAction({
    'client-secret': CLIENT_SECRET,
    values: Object.entries(cipher).map(([name, value]) => `${name}=${value}`).join('\n') + '\nreason=just because\n',
    'secret-inputs': Object.keys(PLAIN).join(', '),
    'export-env': 'true',
    'port-context': PORT_CONTEXT,
  })
  assert.equal(run.status, 0, run.stdout + run.stderr)
  assert.deepEqual(parseFileCommands(run.outputFile), { ...PLAIN, ...CONTEXT_OUTPUTS })
  const env = parseFileCommands(run.envFile)
  assert.deepEqual(env, Object.fromEntries(Object.entries(PLAIN).map(([name, value]) => [name.toUpperCase(), value])))
  assert.equal(env.PATH, undefined)
  const { masks, fileWrites } = checkLog(run.stdout, allFragments(PLAIN))
  assert.equal(fileWrites, Object.keys(PLAIN).length * 2 + Object.keys(CONTEXT_OUTPUTS).length)
  // The masks asked for: each value whole, each non-trivial line; no brace, no PEM armor.
  assert.ok(masks.includes(PLAIN.multi_line) && masks.includes('::set-output name=x::y') && masks.includes('second %0A line %25'))
  assert.ok(masks.includes('crlf line one') && masks.includes('crlf line two'))
  assert.ok(!masks.some((m) => m === '{' || m === '}' || /^-----(BEGIN|END) [A-Z ]+-----$/.test(m)))
  assert.ok(masks.includes(CLIENT_SECRET))
  // stdout: the masks, one line naming the inputs, and nothing from a value.
  assert.match(run.stdout, /^port-secret: decrypted 7 secret input\(s\): db_password, multi_line, /m)
  assert.equal(run.stderr, '')
})

test('toJSON(inputs) values with the action\'s userInputs: object and client-side inputs', () => {
  const dbConnection = { host: 'db.internal', password: 's3cr"et\nline2', port: 5432, nested: { token: 'tok-123456' }, list: ['list-secret-1'] }
  const userInputs = {
    properties: {
      db_password: { type: 'string', encryption: 'aes256-gcm' },
      db_connection: { type: 'object', encryption: 'aes256-gcm' },
      vendor_api_key: { type: 'string', encryption: { algorithm: 'client-side', key: publicKey } },
      reason: { type: 'string' },
      optional_secret: { type: 'string', encryption: 'aes256-gcm' },
    },
  }
  const values = {
    db_password: encryptAes256Gcm(PLAIN.db_password, CLIENT_SECRET),
    db_connection: encryptAes256Gcm(JSON.stringify(dbConnection), CLIENT_SECRET),
    vendor_api_key: encryptClientSide('vendor-key-Zx9!', publicKey),
    reason: 'rotation',
    optional_secret: '', // left empty in the workflow_dispatch form
    port_context: PORT_CONTEXT,
  }
  const run = runAction({
    'client-secret': CLIENT_SECRET,
    'private-key': privateKey,
    values: JSON.stringify(values, null, 2), // toJSON(inputs) is pretty-printed
    'user-inputs': JSON.stringify({ identifier: 'a', trigger: { userInputs } }), // the whole action JSON
    'port-context': PORT_CONTEXT,
  })
  assert.equal(run.status, 0, run.stdout + run.stderr)
  assert.deepEqual(parseFileCommands(run.outputFile), {
    db_password: PLAIN.db_password,
    db_connection: JSON.stringify(dbConnection),
    vendor_api_key: 'vendor-key-Zx9!',
    optional_secret: '',
    ...CONTEXT_OUTPUTS,
  })
  assert.equal(run.envFile, '')
  const { masks } = checkLog(run.stdout, [...allFragments({ a: PLAIN.db_password, b: dbConnection, c: 'vendor-key-Zx9!' }), JSON.stringify(dbConnection)])
  // The object: its compact JSON, each string leaf, each line of a leaf, and the JSON-escaped form.
  for (const m of [JSON.stringify(dbConnection), 'db.internal', 'tok-123456', 'list-secret-1', 's3cr"et', 'line2', 's3cr\\"et\\nline2']) {
    assert.ok(masks.includes(m), m)
  }
  assert.ok(!masks.includes('5432'), 'numbers are not string leaves')
  // Every line of the private key's body, none of its armor.
  const body = privateKey.split('\n').filter((l) => l && !l.startsWith('-----'))
  assert.ok(body.every((l) => masks.includes(l)))
})

test('client-side inputs with only a private key (no client secret), encryption as a JSON object', () => {
  const run = runAction({
    'private-key': privateKey,
    values: `k1=${encryptClientSide('client-side-one', publicKey)}\nk2=${encryptClientSide('client-side-two', publicKey)}`,
    'secret-inputs': 'k1\nk2',
    encryption: JSON.stringify({ algorithm: 'client-side', key: publicKey }),
  })
  assert.equal(run.status, 0, run.stdout + run.stderr)
  assert.deepEqual(parseFileCommands(run.outputFile), { k1: 'client-side-one', k2: 'client-side-two' })
  checkLog(run.stdout, ['client-side-one', 'client-side-two'])
})

test('a value the runner could mistake for a command is only ever seen escaped, after its mask', () => {
  const run = runAction({ 'client-secret': CLIENT_SECRET, values: `commands=${encryptAes256Gcm(PLAIN.commands, CLIENT_SECRET)}`, 'secret-inputs': 'commands' })
  assert.equal(run.status, 0)
  const lines = run.stdout.split('\n')
  assert.ok(lines.includes('::add-mask::::set-output name=x::y'))
  assert.ok(!lines.some((l) => l.startsWith('::set-output')))
  assert.deepEqual(parseFileCommands(run.outputFile), { commands: PLAIN.commands })
})

test('a tampered value fails the step: exit 1, the code and the input named, no ciphertext, nothing written', () => {
  const good = encryptAes256Gcm('the-real-secret-value', CLIENT_SECRET)
  const raw = Buffer.from(encryptAes256Gcm(PLAIN.db_password, CLIENT_SECRET), 'base64')
  raw[20] ^= 1
  const tampered = raw.toString('base64')
  const run = runAction({ 'client-secret': CLIENT_SECRET, values: `api_token=${good}\ndb_password=${tampered}`, 'secret-inputs': 'api_token, db_password', 'export-env': 'true' })
  assert.equal(run.status, 1)
  assert.match(run.stdout, /^::error::port-secret: ERR_PORT_SECRET_AUTHENTICATION_FAILED on input "db_password"/m)
  const logged = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n') + run.stderr
  for (const text of [tampered, tampered.slice(0, 24), good, good.slice(-24), 'the-real-secret-value', CLIENT_SECRET.slice(0, 20)]) {
    assert.ok(!logged.includes(text), text)
  }
  // The client secret is the only thing masked: nothing was decrypted for the step to show.
  assert.deepEqual(run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::')), [`::add-mask::${CLIENT_SECRET}`])
  assert.equal(run.outputFile, '')
  assert.equal(run.envFile, '')
})

test('a wrong client secret and a missing private key fail with their code and input', () => {
  const wrong = runAction({ 'client-secret': 'another-client-secret-of-32-bytes-or-more', values: `db_password=${encryptAes256Gcm('x', CLIENT_SECRET)}`, 'secret-inputs': 'db_password' })
  assert.equal(wrong.status, 1)
  assert.match(wrong.stdout, /ERR_PORT_SECRET_AUTHENTICATION_FAILED on input "db_password" \(wrong client-secret or private-key/)
  const noKey = runAction({ 'client-secret': CLIENT_SECRET, values: `k=${encryptClientSide('x', publicKey)}`, 'secret-inputs': 'k', encryption: 'client-side' })
  assert.equal(noKey.status, 1)
  assert.match(noKey.stdout, /::error::port-secret: ERR_PORT_SECRET_\w+ on input "k"/)
  const shortSecret = runAction({ 'client-secret': 'short', values: 'k=AAAA', 'secret-inputs': 'k' })
  assert.equal(shortSecret.status, 1)
  assert.match(shortSecret.stdout, /::error::port-secret: ERR_PORT_SECRET_INVALID_KEY/)
  assert.ok(!shortSecret.stdout.split('\n').some((l) => !l.startsWith('::') && l.includes('short')))
})

test('bad inputs fail without quoting them', () => {
  const cipher = encryptAes256Gcm('a-secret', CLIENT_SECRET)
  const cases = [
    [{ values: `{"db_password": "${cipher}", oops}`, 'secret-inputs': 'db_password' }, 'values is not valid JSON'],
    [{ values: `db_password=${cipher}`, 'secret-inputs': 'db_password, api_token' }, 'secret input "api_token" is not in values'],
    [{ values: `db_password=${cipher}` }, 'give secret-inputs (names) or user-inputs'],
    [{ values: `db_password=${cipher}`, 'secret-inputs': 'db_password', 'user-inputs': '{}' }, 'not both'],
    [{ values: `# a comment\ndb_password: ${cipher}`, 'secret-inputs': 'db_password' }, 'line 2 of values is not name=value'],
    [{ values: `path=${cipher}`, 'secret-inputs': 'path', 'export-env': 'true' }, 'would set PATH'],
    [{ values: `run-id=${cipher}`, 'secret-inputs': 'run-id', 'port-context': PORT_CONTEXT }, 'has the name of another output'],
    [{ values: `db_password=${cipher}`, 'secret-inputs': 'db_password', 'port-context': `{"runId": "${cipher}"` }, 'port-context is not valid JSON'],
    [{ values: `db_password=${cipher}`, 'user-inputs': `{"db_password": {"encryption": "aes256-gcm"}, ${cipher}}` }, 'user-inputs is not valid JSON'],
    [{ values: '{"db_password": true}', 'secret-inputs': 'db_password' }, 'ERR_PORT_SECRET_MALFORMED on input "db_password"'],
    [{ values: `db_password=${cipher}`, 'secret-inputs': 'db_password', encryption: 'rot13' }, 'ERR_PORT_SECRET_UNSUPPORTED_ENCRYPTION on input "db_password"'],
  ]
  for (const [inputs, message] of cases) {
    const run = runAction({ 'client-secret': CLIENT_SECRET, ...inputs })
    assert.equal(run.status, 1, message)
    assert.ok(run.stdout.includes(`::error::`) && run.stdout.includes(message), `${message}: ${run.stdout}`)
    assert.ok(!run.stdout.includes(cipher) && !run.stdout.includes(cipher.slice(0, 16)), message)
    assert.equal(run.outputFile, '', message)
    assert.equal(run.envFile, '', message)
  }
})

test('without GITHUB_OUTPUT it refuses rather than print values as stdout commands', () => {
  const run = runAction({ 'client-secret': CLIENT_SECRET, values: `a=${encryptAes256Gcm('abc-secret', CLIENT_SECRET)}`, 'secret-inputs': 'a' }, { githubOutput: false })
  assert.equal(run.status, 1)
  assert.match(run.stdout, /::error::port-secret: GITHUB_OUTPUT/)
  assert.ok(!run.stdout.includes('abc-secret'))
})

test('the log check itself catches a secret printed before its mask, and a multi-line value masked whole only', () => {
  assert.throws(() => checkLog('hunter2-secret\n::add-mask::hunter2-secret\n', ['hunter2-secret']), /stdout line 1/)
  assert.doesNotThrow(() => checkLog('::add-mask::hunter2-secret\nsee hunter2-secret\n', ['hunter2-secret']))
  const written = Buffer.from('out<<EOF\nline a1\nline b2\nEOF\n').toString('base64')
  assert.throws(() => checkLog(`::add-mask::line a1%0Aline b2\n##test-file-write## ${written}\n`, secretFragments('line a1\nline b2')), /file write/)
  assert.doesNotThrow(() => checkLog(`::add-mask::line a1\n::add-mask::line b2\n##test-file-write## ${written}\n`, secretFragments('line a1\nline b2')))
})

test('a release tree alone runs: action.yml, github-action/package.json and dist/, no node_modules', () => {
  const tree = mkdtempSync(join(tmpdir(), 'port-secret-release-'))
  try {
    cpSync(join(repoRoot, 'action.yml'), join(tree, 'action.yml'))
    cpSync(join(actionDir, 'package.json'), join(tree, 'github-action', 'package.json'))
    cpSync(join(actionDir, 'dist'), join(tree, 'github-action', 'dist'), { recursive: true })
    const run = runAction({ 'client-secret': CLIENT_SECRET, values: `a=${encryptAes256Gcm('release-tree-secret', CLIENT_SECRET)}`, 'secret-inputs': 'a' }, { main: join(tree, 'github-action', 'dist', 'index.js') })
    assert.equal(run.status, 0, run.stdout + run.stderr)
    assert.deepEqual(parseFileCommands(run.outputFile), { a: 'release-tree-secret' })
    // Without the addon, the step fails with a message that says what is missing.
    rmSync(join(tree, 'github-action', 'dist', 'port-secret.linux-x64-gnu.node'))
    const without = runAction({ 'client-secret': CLIENT_SECRET, values: 'a=QUJD', 'secret-inputs': 'a' }, { main: join(tree, 'github-action', 'dist', 'index.js') })
    assert.equal(without.status, 1)
    assert.match(without.stdout, /::error::port-secret: the native addon for linux-x64 is not in this action/)
  } finally {
    rmSync(tree, { recursive: true, force: true })
  }
})
