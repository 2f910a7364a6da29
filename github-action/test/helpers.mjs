// A runner of our own for dist/index.js, close to what GitHub's runner does for a `node20`
// action: INPUT_* variables (name upper-cased, dashes kept), GITHUB_OUTPUT and GITHUB_ENV files,
// stdout read line by line for workflow commands. Plus a log check that replays stdout as the
// runner's masker would and fails on any secret left visible.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

export const actionDir = dirname(dirname(fileURLToPath(import.meta.url)))
export const repoRoot = dirname(actionDir)
export const DIST = join(actionDir, 'dist', 'index.js')
const HOOK = join(actionDir, 'test', 'file-write-hook.cjs')

/** The inputs of the root action.yml, as the runner reads them (for their defaults). */
export const ACTION = YAML.parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8'))

/**
 * Runs dist/index.js with `inputs` ({ 'client-secret': ..., ... }) as the runner would.
 * Returns { status, stdout, stderr, outputFile, envFile } (the files' raw text).
 */
export function runAction(inputs, { githubOutput = true, githubEnv = true, main = DIST } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'port-secret-action-'))
  try {
    const outputPath = join(dir, 'output')
    const envPath = join(dir, 'env')
    writeFileSync(outputPath, '')
    writeFileSync(envPath, '')
    const env = { PATH: process.env.PATH, HOME: dir, RUNNER_TEMP: dir }
    if (githubOutput) env.GITHUB_OUTPUT = outputPath
    if (githubEnv) env.GITHUB_ENV = envPath
    // The runner sets every declared input: the step's value, else the default from action.yml.
    const given = { ...Object.fromEntries(Object.entries(ACTION.inputs).map(([name, def]) => [name, String(def.default ?? '')])), ...inputs }
    for (const [name, value] of Object.entries(given)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
    // The hook prints a marker line for each write to a file, so that the check knows which
    // masks were registered before each write.
    const result = spawnSync(process.execPath, ['--require', HOOK, main], { env, encoding: 'utf8', timeout: 30_000 })
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      outputFile: readFileSync(outputPath, 'utf8'),
      envFile: readFileSync(envPath, 'utf8'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_ENV file as the runner does: `name<<DELIMITER` heredocs (the
 * value is every line up to a line equal to DELIMITER) and `name=value` lines. Checks the
 * heredoc delimiter syntax of @actions/core. Returns { name: value } (insertion ordered).
 */
export function parseFileCommands(text) {
  const result = {}
  const lines = text.split('\n')
  if (lines.at(-1) !== '') throw new Error('file command text must end with a newline')
  lines.pop()
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<\n]+)<<(ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(lines[i])
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`no closing delimiter for ${name}`)
      if (Object.hasOwn(result, name)) throw new Error(`${name} set twice`)
      result[name] = lines.slice(i + 1, end).join('\n')
      i = end
      continue
    }
    throw new Error(`line ${i + 1} is not a heredoc (name<<ghadelimiter_<uuid>)`)
  }
  return result
}

/** The runner's unescaping of a command's data (`%0D`, `%0A`, then `%25`). */
function unescapeData(data) {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/**
 * The pieces of a secret that must never be readable in a log line: each line of it that has a
 * letter or digit and is not PEM armor, trimmed; for an object, the same for every string leaf.
 * (Written apart from src/mask.js on purpose: this is what the check demands, not what the
 * action registers.)
 */
export function secretFragments(value) {
  const leaves = []
  const walk = (v) => {
    if (typeof v === 'string') leaves.push(v)
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk(value)
  const fragments = []
  for (const leaf of leaves) {
    for (const line of leaf.split(/\r\n|\r|\n/)) {
      const t = line.trim()
      if (/[A-Za-z0-9]/.test(t) && !/^-----(BEGIN|END) /.test(t)) fragments.push(t)
    }
  }
  return fragments
}

/**
 * Replays stdout as the runner would: `::add-mask::` lines register masks; every other line is
 * masked with the masks registered so far and must then contain no fragment; at each file-write
 * marker of the hook, each line written to GITHUB_OUTPUT / GITHUB_ENV must likewise be covered
 * by masks registered before it. Returns { masks, checkedLines, fileWrites }; throws on a leak.
 */
export function checkLog(stdout, fragments) {
  const masks = []
  let checkedLines = 0
  let fileWrites = 0
  const check = (line, where) => {
    let visible = line
    for (const mask of [...masks].sort((a, b) => b.length - a.length)) visible = visible.split(mask).join('***')
    for (const fragment of fragments) {
      if (visible.includes(fragment)) throw new Error(`${where} shows a secret line unmasked: ${JSON.stringify(visible)}`)
    }
    checkedLines++
  }
  stdout.split('\n').forEach((line, index) => {
    if (line.startsWith('::add-mask::')) {
      masks.push(unescapeData(line.slice('::add-mask::'.length)))
    } else if (line.startsWith('##test-file-write## ')) {
      fileWrites++
      const data = Buffer.from(line.slice('##test-file-write## '.length), 'base64').toString('utf8')
      for (const written of data.split('\n')) check(written, `a file write after stdout line ${index + 1}`)
    } else {
      check(line, `stdout line ${index + 1}`)
    }
  })
  return { masks, checkedLines, fileWrites }
}
