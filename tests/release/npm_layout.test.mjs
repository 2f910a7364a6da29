// .github/scripts/npm-layout.mjs on a copy of node/ (package.json, npm/, binding.js) with fake
// addons: the napi-rs layout the release publishes. Each node/npm/<platform> package gets its
// addon and the version; the main package gets the version and one optionalDependency per
// platform package at exactly that version, and keeps no .node of its own; `npm pack` of a
// platform package holds only its package.json, README and addon.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const script = join(root, '.github', 'scripts', 'npm-layout.mjs')
const work = mkdtempSync(join(tmpdir(), 'npm-layout-'))
after(() => rmSync(work, { recursive: true, force: true }))

const nodeDir = join(work, 'node')
const artifacts = join(work, 'addons')
cpSync(join(root, 'node', 'npm'), join(nodeDir, 'npm'), { recursive: true })
for (const file of ['package.json', 'binding.js', 'index.js']) cpSync(join(root, 'node', file), join(nodeDir, file))
const pkg = JSON.parse(readFileSync(join(nodeDir, 'package.json'), 'utf8'))
const platforms = readdirSync(join(nodeDir, 'npm')).sort()
mkdirSync(artifacts)
for (const p of platforms) writeFileSync(join(artifacts, `port-secret.${p}.node`), `fake addon for ${p}`)
writeFileSync(join(nodeDir, 'port-secret.linux-x64-gnu.node'), 'a local build that must not ship')

function layout(...args) {
  return execFileSync(process.execPath, [script, '--node-dir', nodeDir, ...args], { encoding: 'utf8' })
}

test('one npm/<platform> package per napi target', () => {
  assert.equal(platforms.length, pkg.napi.targets.length)
})

test('--require-all fails when an addon is missing', () => {
  assert.throws(() => layout('--version', '9.8.7', '--artifacts', join(work, 'nowhere'), '--require-all'), /is not in/)
})

test('a release version: addons, versions, optionalDependencies, no .node in the main package', () => {
  layout('--version', '9.8.7', '--artifacts', artifacts, '--require-all')
  const main = JSON.parse(readFileSync(join(nodeDir, 'package.json'), 'utf8'))
  assert.equal(main.version, '9.8.7')
  assert.deepEqual(main.optionalDependencies, Object.fromEntries(platforms.map((p) => [`port-secret-${p}`, '9.8.7'])))
  assert.deepEqual(readdirSync(nodeDir).filter((f) => f.endsWith('.node')), [])
  for (const p of platforms) {
    const sub = JSON.parse(readFileSync(join(nodeDir, 'npm', p, 'package.json'), 'utf8'))
    assert.equal(sub.version, '9.8.7')
    assert.equal(readFileSync(join(nodeDir, 'npm', p, sub.main), 'utf8'), `fake addon for ${p}`)
  }
})

test('npm pack of a platform package: package.json, README and the addon only', () => {
  const p = platforms[0]
  const out = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: join(nodeDir, 'npm', p), encoding: 'utf8' }))
  assert.deepEqual(out[0].files.map((f) => f.path).sort(), ['README.md', 'package.json', `port-secret.${p}.node`])
  assert.equal(out[0].name, `port-secret-${p}`)
})

test('rejects a version that is not semver', () => {
  assert.throws(() => layout('--version', '1.2', '--artifacts', artifacts))
})
