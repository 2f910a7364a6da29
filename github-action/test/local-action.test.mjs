// The action under @github/local-action, GitHub's tool that runs a JavaScript action's source
// the way the runner does, with its own @actions/core: `local-action run <action dir>
// <entrypoint> <dotenv file>`. The action directory is the repository root (where action.yml is);
// the entrypoint is src/main.js, whose run() it calls.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { encryptAes256Gcm } from 'port-secret'
import { actionDir, repoRoot } from './helpers.mjs'

const CLIENT_SECRET = 'test-only-client-secret-0123456789abcdef'
const CONTEXT = '{"runId": "r_local_1", "blueprint": "service", "entity": "svc-a"}'

function localAction(inputs) {
  const dir = mkdtempSync(join(tmpdir(), 'port-secret-local-action-'))
  try {
    // dotenv: single-quoted values are taken as they are (the JSON and base64 here have no ').
    const lines = Object.entries(inputs).map(([name, value]) => `INPUT_${name.toUpperCase()}='${value}'`)
    // The action refuses to run without these files (see src/main.js); local-action's own
    // @actions/core keeps outputs in memory and prints them.
    lines.push(`GITHUB_OUTPUT=${join(dir, 'output')}`, `GITHUB_ENV=${join(dir, 'env')}`)
    writeFileSync(join(dir, '.env'), lines.join('\n') + '\n')
    const bin = join(actionDir, 'node_modules', '.bin', 'local-action')
    const result = spawnSync(bin, ['run', repoRoot, 'github-action/src/main.js', join(dir, '.env')], {
      cwd: actionDir, // where `npm ls @actions/core` finds the action's node_modules
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', FORCE_COLOR: '0' },
      encoding: 'utf8',
      timeout: 120_000,
    })
    return { status: result.status, log: result.stdout + result.stderr }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('local-action: decrypts, masks before setting the output, sets the port_context outputs', () => {
  const plain = 'local-action-secret\nsecond line of it'
  const cipher = encryptAes256Gcm(plain, CLIENT_SECRET)
  const run = localAction({ 'client-secret': CLIENT_SECRET, values: JSON.stringify({ db_password: cipher, reason: 'x' }), 'secret-inputs': 'db_password', 'port-context': CONTEXT })
  assert.equal(run.status, 0, run.log)
  // local-action's setOutput drops an output that holds a registered secret, as GitHub does for
  // job outputs: this line shows the value was registered before the output was set.
  assert.match(run.log, /^::warning::Skip output db_password since it may contain secret\.$/m)
  for (const [name, value] of [['run-id', 'r_local_1'], ['blueprint', 'service'], ['entity-identifier', 'svc-a'], ['context-runId', 'r_local_1']]) {
    assert.ok(run.log.split('\n').includes(`::set-output name=${name}::${value}`), name)
  }
  assert.match(run.log, /port-secret: decrypted 1 secret input\(s\): db_password/)
  for (const text of ['local-action-secret', 'second line of it', cipher, CLIENT_SECRET]) assert.ok(!run.log.includes(text), text)
})

test('local-action: a tampered value fails with the code and the input, not the ciphertext', () => {
  const raw = Buffer.from(encryptAes256Gcm('local-action-secret', CLIENT_SECRET), 'base64')
  raw[raw.length - 1] ^= 1
  const cipher = raw.toString('base64')
  const run = localAction({ 'client-secret': CLIENT_SECRET, values: `db_password=${cipher}`, 'secret-inputs': 'db_password' })
  // local-action's setFailed records the failure without a failing exit status: the log tells.
  assert.match(run.log, /^::error::port-secret: ERR_PORT_SECRET_AUTHENTICATION_FAILED on input "db_password"/m)
  assert.ok(!run.log.includes(cipher) && !run.log.includes(cipher.slice(0, 16)))
  assert.ok(!/::set-output name=db_password/.test(run.log))
})
