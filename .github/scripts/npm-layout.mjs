// Lays out the npm packages the napi-rs way, for a release version:
//   node/npm/<platform>/            one package per napi target, port-secret-<platform>, holding
//                                   port-secret.<platform>.node (copied from --artifacts)
//   node/package.json               version, and optionalDependencies on every per-platform
//                                   package at exactly that version (npm installs the one whose
//                                   os/cpu/libc match; binding.js picks it at run time)
// The main package then ships no .node file of its own (any node/port-secret.*.node is removed).
//   node .github/scripts/npm-layout.mjs --version 0.2.0 --artifacts DIR [--only linux-x64-gnu] [--require-all] [--node-dir DIR]
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values: opts } = parseArgs({
  options: {
    version: { type: 'string' },
    artifacts: { type: 'string' },
    only: { type: 'string', multiple: true },
    'require-all': { type: 'boolean', default: false },
    'node-dir': { type: 'string' },
  },
})
if (!opts.version || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(opts.version)) throw new Error(`--version: ${opts.version}`)
// --node-dir: lay out a copy (tests/release/npm_layout.test.mjs) instead of the checkout's node/.
const nodeDir = opts['node-dir'] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node')
const pkgPath = join(nodeDir, 'package.json')
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'))
const binary = pkg.napi.binaryName

const platforms = readdirSync(join(nodeDir, 'npm')).filter((d) => existsSync(join(nodeDir, 'npm', d, 'package.json'))).sort()
const optional = {}
for (const platform of platforms) {
  const subPath = join(nodeDir, 'npm', platform, 'package.json')
  const sub = JSON.parse(readFileSync(subPath, 'utf8'))
  sub.version = opts.version
  writeFileSync(subPath, JSON.stringify(sub, null, 2) + '\n')
  optional[sub.name] = opts.version
  const file = `${binary}.${platform}.node`
  const from = opts.artifacts && join(opts.artifacts, file)
  if (from && existsSync(from) && (!opts.only || opts.only.includes(platform))) {
    copyFileSync(from, join(nodeDir, 'npm', platform, file))
    console.log(`npm/${platform}: ${sub.name}@${opts.version} with ${file}`)
  } else if (opts['require-all']) {
    throw new Error(`${file} is not in ${opts.artifacts}`)
  }
}
if (platforms.length !== pkg.napi.targets.length) throw new Error(`node/npm has ${platforms.length} packages for ${pkg.napi.targets.length} napi targets`)
pkg.version = opts.version
pkg.optionalDependencies = optional
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n')
for (const name of readdirSync(nodeDir)) {
  if (name.startsWith(`${binary}.`) && name.endsWith('.node')) rmSync(join(nodeDir, name))
}
console.log(`node/package.json: ${pkg.name}@${opts.version}, optionalDependencies ${Object.keys(optional).join(', ')}`)
