// port-secret GitHub Action: decrypts the secret inputs of a Port action run inside the
// workflow_dispatch job that Port started, and hands them to the next steps as outputs (and, on
// request, environment variables). Every decrypted value is registered with `core.setSecret`
// before anything is written (see ./mask.js for what is registered); a failure names the error
// code and the input, never a value or a ciphertext.
import * as core from '@actions/core'
import { secretsToMask } from './mask.js'
import { ActionInputError, asText, contextOutputs, envName, parseDefinitions, parseValues } from './inputs.js'

const HINTS = {
  ERR_PORT_SECRET_AUTHENTICATION_FAILED: 'wrong client-secret or private-key, or the value was changed',
  ERR_PORT_SECRET_INVALID_BASE64: 'the value is not the base64 Port sends',
  ERR_PORT_SECRET_MALFORMED: 'the value is not what this encryption produces, or not a string',
  ERR_PORT_SECRET_INVALID_KEY: 'client-secret (at least 32 bytes) or private-key (RSA PEM) is not usable',
  ERR_PORT_SECRET_INVALID_JSON: 'a type: object input did not decrypt to JSON',
  ERR_PORT_SECRET_UNSUPPORTED_ENCRYPTION: 'see the encryption input',
}

/** The failure message: the error code and the input's name, nothing taken from a value. */
export function describeError(error) {
  if (error instanceof ActionInputError) return `port-secret: ${error.message}`
  if (typeof error?.code === 'string' && error.code.startsWith('ERR_PORT_SECRET_')) {
    const where = typeof error.input === 'string' ? ` on input "${error.input}"` : ''
    const hint = HINTS[error.code] ? ` (${HINTS[error.code]})` : ''
    return `port-secret: ${error.code}${where}${hint}`
  }
  // Anything else (a bug, the addon missing): its class and code only.
  return `port-secret: unexpected ${error?.name ?? 'error'}${error?.code ? ` ${error.code}` : ''}`
}

/** Loads the Node package (and with it the native addon next to dist/index.js). */
async function loadPortSecret() {
  try {
    return await import('port-secret')
  } catch {
    throw new ActionInputError(
      `the native addon for ${process.platform}-${process.arch} is not in this action: use a release ref (e.g. @v0) on a GitHub-hosted runner (Linux x64/arm64, macOS, Windows x64)`,
    )
  }
}

/** A boolean input: true or false as YAML 1.2 spells them, empty (not given) = false. */
function booleanInput(name) {
  const text = core.getInput(name)
  if (/^(true|True|TRUE)$/.test(text)) return true
  if (/^(false|False|FALSE|)$/.test(text)) return false
  throw new ActionInputError(`${name} must be true or false`)
}

/** Registers every string of `strings` as a secret, once. */
function maskAll(strings, masked) {
  for (const text of strings) {
    if (!masked.has(text)) {
      masked.add(text)
      core.setSecret(text)
    }
  }
}

export async function run() {
  try {
    // The package first: its maskPieces is the masking rule.
    const { Decryptor, maskPieces } = await loadPortSecret()
    const masked = new Set()
    // The keys first: masked too, in case they did not come from `secrets.*`.
    const clientSecrets = core.getInput('client-secret').split(/\r?\n/).map((s) => s.trim()).filter(Boolean)
    const privateKey = core.getInput('private-key')
    for (const secret of clientSecrets) maskAll(secretsToMask(maskPieces, secret), masked)
    if (privateKey) maskAll(secretsToMask(maskPieces, privateKey), masked)

    // Both files must exist: without them @actions/core falls back to stdout commands, which
    // would put the values in the log (escaped, so that masks by line might not match).
    const exportEnv = booleanInput('export-env')
    if (!process.env.GITHUB_OUTPUT || (exportEnv && !process.env.GITHUB_ENV)) {
      throw new ActionInputError('GITHUB_OUTPUT (and GITHUB_ENV for export-env) must be set: run this on a GitHub runner')
    }

    const values = parseValues(core.getInput('values', { required: true }))
    const { userInputs, secretNames, required } = parseDefinitions({
      secretInputs: core.getInput('secret-inputs'),
      userInputs: core.getInput('user-inputs'),
      encryption: core.getInput('encryption'),
    })
    const context = contextOutputs(core.getInput('port-context'))
    const names = secretNames.filter((name) => Object.hasOwn(values, name))
    const missing = secretNames.find((name) => !Object.hasOwn(values, name))
    if (required && missing !== undefined) throw new ActionInputError(`secret input "${missing}" is not in values`)

    const outputNames = new Set(Object.keys(context).map((n) => n.toLowerCase()))
    for (const name of names) {
      if (outputNames.has(name.toLowerCase())) throw new ActionInputError(`input "${name}" has the name of another output`)
      outputNames.add(name.toLowerCase())
    }
    const envNames = new Map()
    if (exportEnv) {
      for (const name of names) {
        const env = envName(name)
        if (envNames.has(env)) throw new ActionInputError(`inputs "${envNames.get(env)}" and "${name}" would both set ${env}`)
        envNames.set(env, name)
      }
    }

    const decryptor = new Decryptor({ clientSecret: clientSecrets, ...(privateKey ? { privateKey } : {}) })
    const decrypted = decryptor.decryptProperties(values, userInputs)

    // Every secret is registered before the first output or env line is written.
    for (const name of names) maskAll(secretsToMask(maskPieces, decrypted[name]), masked)

    for (const name of names) core.setOutput(name, decrypted[name] == null ? '' : asText(decrypted[name]))
    for (const [env, name] of envNames) core.exportVariable(env, decrypted[name] == null ? '' : asText(decrypted[name]))
    for (const [name, value] of Object.entries(context)) core.setOutput(name, value)
    core.info(`port-secret: decrypted ${names.length} secret input(s)${names.length ? `: ${names.join(', ')}` : ''}` +
      `${exportEnv && envNames.size ? `; exported ${[...envNames.keys()].join(', ')}` : ''}`)
  } catch (error) {
    core.setFailed(describeError(error))
  }
}
