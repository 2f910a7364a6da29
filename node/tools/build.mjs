// Builds the native addon: `napi build --platform --release` on the workspace crate
// bindings/node, writing port-secret.linux-x64-gnu.node and the generated loader binding.js and
// types binding.d.ts into node/ (or into --out DIR, for the staleness check).
//
// For a low glibc floor it links with napi-rs's cross toolchain (gcc with a glibc 2.17 sysroot,
// `--use-napi-cross`): the toolchain comes from the npm devDependency
// @napi-rs/cross-toolchain-x64-target-x86_64 and is unpacked here with the system `tar` (napi's
// own unpacker needs @napi-rs/lzma, which does not load on Node 20). Without it, or with
// PORT_SECRET_HOST_TOOLCHAIN=1, the host gcc links the addon (glibc floor = the build machine's).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(dirname(fileURLToPath(import.meta.url)))
const outIndex = process.argv.indexOf('--out')
const outDir = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : here
const TRIPLE = 'x86_64-unknown-linux-gnu'

/** Unpacks the cross toolchain where `napi build --use-napi-cross` looks for it; false if unavailable. */
function prepareCrossToolchain() {
  if (process.env.PORT_SECRET_HOST_TOOLCHAIN === '1' || process.platform !== 'linux' || process.arch !== 'x64') return false
  try {
    const cliRequire = createRequire(createRequire(join(here, 'package.json')).resolve('@napi-rs/cli/package.json'))
    const { version } = cliRequire('@napi-rs/cross-toolchain/package.json')
    const archive = createRequire(join(here, 'package.json'))('@napi-rs/cross-toolchain-x64-target-x86_64').toolchainPath
    const dest = join(homedir(), '.napi-rs', 'cross-toolchain', version, TRIPLE)
    if (existsSync(join(dest, 'package.json'))) return true
    console.log(`port-secret: unpacking the napi-rs cross toolchain into ${dest}`)
    rmSync(dest, { recursive: true, force: true })
    mkdirSync(dest, { recursive: true })
    try {
      execFileSync('tar', ['-xJf', archive, '-C', dest], { stdio: 'inherit' })
    } catch {
      execFileSync('python3', ['-c', 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])', archive, dest], { stdio: 'inherit' })
    }
    return existsSync(join(dest, 'package.json'))
  } catch (error) {
    console.warn(`port-secret: cross toolchain unavailable (${error.message.split('\n')[0]}); linking with the host gcc`)
    return false
  }
}

const args = ['build', '--platform', '--release', '--manifest-path', join(here, '..', 'bindings', 'node', 'Cargo.toml'), '--output-dir', outDir, '--js', 'binding.js', '--dts', 'binding.d.ts']
if (prepareCrossToolchain()) args.push('--use-napi-cross')
const napi = join(here, 'node_modules', '.bin', 'napi')
console.log(`port-secret: napi ${args.join(' ')}`)
const result = spawnSync(napi, args, { cwd: here, stdio: 'inherit' })
process.exit(result.status ?? 1)
