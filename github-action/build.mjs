// Builds dist/ for the runner: dist/index.js, one ESM bundle of src/ with @actions/core and the
// port-secret Node package inside (no npm install at run time), and next to it the native addon
// port-secret.linux-x64-gnu.node copied from ../node (build it first: cd ../node && npm run build).
//   node build.mjs             # bundle + addon (fails without the addon)
//   node build.mjs --no-addon  # the bundle only (for a release job that adds addons itself)
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')
const ADDON = 'port-secret.linux-x64-gnu.node'

rmSync(dist, { recursive: true, force: true })
mkdirSync(dist)
await esbuild.build({
  entryPoints: [join(here, 'src', 'index.js')],
  outfile: join(dist, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // The addon loader (port-secret's binding.js) requires the .node file next to the bundle, or a
  // per-platform package; both stay run-time requires, through a real `require`.
  external: ['*.node', 'port-secret-*'],
  banner: { js: "import { createRequire as __portSecretCreateRequire } from 'node:module';\nconst require = __portSecretCreateRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
})

if (!process.argv.includes('--no-addon')) {
  const addon = join(here, '..', 'node', ADDON)
  if (!existsSync(addon)) {
    console.error(`build: ${addon} is missing: cd ../node && npm install && npm run build`)
    process.exit(1)
  }
  copyFileSync(addon, join(dist, ADDON))
}
const size = (file) => `${Math.round(statSync(join(dist, file)).size / 1024)} KiB`
console.log(`build: dist/index.js (${size('index.js')})${existsSync(join(dist, ADDON)) ? `, dist/${ADDON} (${size(ADDON)})` : ''}`)
