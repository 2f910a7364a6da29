// Reading the action's inputs into what `Decryptor.decryptProperties` takes. Only the shape of
// the inputs is handled here; every decision about a value (base64, layout, keys, JSON of an
// object input) is the Rust core's. No message thrown from here contains a value: a JSON parse
// error's own message quotes the text it failed on, so it is never passed on.

/** A mistake in the action's inputs; `message` names inputs, never values. */
export class ActionInputError extends Error {}
Object.defineProperty(ActionInputError.prototype, 'name', { value: 'ActionInputError' })

/** JSON.parse that throws an ActionInputError naming `what` instead of quoting the text. */
function parseJson(text, what) {
  try {
    return JSON.parse(text)
  } catch {
    throw new ActionInputError(`${what} is not valid JSON`)
  }
}

/** An input's name, as Port's identifiers and workflow_dispatch inputs spell them. */
const NAME = /^[A-Za-z0-9_.-]+$/

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * The `values` input: the JSON object of `${{ toJSON(inputs) }}`, or `name=value` lines (split at
 * the first `=`, so base64 padding stays in the value; empty lines and `#` comments skipped).
 * An empty string (how a workflow_dispatch input left empty arrives) becomes null, which
 * `decryptProperties` skips as an absent optional input.
 */
export function parseValues(text) {
  let values
  if (text.trim().startsWith('{')) {
    values = parseJson(text, 'values')
    if (!isObject(values)) throw new ActionInputError('values must be a JSON object')
    values = { ...values }
  } else {
    values = {}
    text.split(/\r\n|\r|\n/).forEach((raw, index) => {
      const line = raw.trim()
      if (line === '' || line.startsWith('#')) return
      const eq = line.indexOf('=')
      const name = line.slice(0, Math.max(eq, 0)).trim()
      if (!NAME.test(name)) throw new ActionInputError(`line ${index + 1} of values is not name=value`)
      if (Object.hasOwn(values, name)) throw new ActionInputError(`values has "${name}" twice`)
      values[name] = line.slice(eq + 1).trim()
    })
  }
  for (const [name, value] of Object.entries(values)) if (value === '') values[name] = null
  return values
}

/** The `encryption` input: `aes256-gcm`, `client-side`, `fernet`, or a JSON object. */
function parseEncryption(text) {
  const trimmed = text.trim()
  if (trimmed === '') return 'aes256-gcm'
  return trimmed.startsWith('{') ? parseJson(trimmed, 'encryption') : trimmed
}

/**
 * The definitions of the secret inputs, as `decryptProperties` takes them (an object whose
 * `properties` map each input to `{ type, encryption }`), and the names that must be present.
 *
 * `secret-inputs`: names separated by commas or new lines, each `name` or `name:object` (a
 * `type: object` input, parsed as JSON), all with the `encryption` input's encryption.
 * `user-inputs`: the Port action's `userInputs` JSON, its `properties` map, or the whole action
 * (`trigger.userInputs`); its inputs with `encryption` are the secret ones.
 */
export function parseDefinitions({ secretInputs, userInputs, encryption }) {
  if (secretInputs.trim() !== '' && userInputs.trim() !== '') {
    throw new ActionInputError('give secret-inputs or user-inputs, not both')
  }
  if (secretInputs.trim() !== '') {
    const spec = parseEncryption(encryption)
    const properties = {}
    for (const item of secretInputs.split(/[,\r\n]/).map((s) => s.trim()).filter(Boolean)) {
      const [name, type = 'string', extra] = item.split(':').map((s) => s.trim())
      if (extra !== undefined || !NAME.test(name) || (type !== 'string' && type !== 'object')) {
        throw new ActionInputError(`secret-inputs: "${item}" is not a name or name:object`)
      }
      if (Object.hasOwn(properties, name)) throw new ActionInputError(`secret-inputs has "${name}" twice`)
      properties[name] = { type, encryption: spec }
    }
    return { userInputs: { properties }, secretNames: Object.keys(properties), required: true }
  }
  if (userInputs.trim() !== '') {
    let parsed = parseJson(userInputs, 'user-inputs')
    if (isObject(parsed) && isObject(parsed.trigger) && isObject(parsed.trigger.userInputs)) {
      parsed = parsed.trigger.userInputs
    }
    if (!isObject(parsed)) throw new ActionInputError('user-inputs must be a JSON object')
    // Which inputs are secret: those whose definition has `encryption`, as the core decides.
    const properties = isObject(parsed.properties) ? parsed.properties : parsed
    const secretNames = Object.keys(properties).filter((name) => isObject(properties[name]) && 'encryption' in properties[name])
    return { userInputs: parsed, secretNames, required: false }
  }
  throw new ActionInputError('give secret-inputs (names) or user-inputs (the action\'s userInputs JSON)')
}

/** Text of an output or env value: strings as they are, anything else as compact JSON. */
export function asText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * The outputs taken from the `port-context` JSON: `run-id`, `blueprint`, `entity-identifier`
 * (each from the field Port's templates use, or its `identifier` when the field is an object),
 * and `context-<field>` for every top-level field. Missing ones are not set.
 */
export function contextOutputs(text) {
  if (text.trim() === '') return {}
  const context = parseJson(text, 'port-context')
  if (!isObject(context)) throw new ActionInputError('port-context must be a JSON object')
  const identifier = (value) => (isObject(value) ? value.identifier : value)
  const outputs = {
    'run-id': context.runId ?? context.run_id ?? (isObject(context.run) ? context.run.id : undefined),
    blueprint: identifier(context.blueprint),
    'entity-identifier': identifier(context.entity),
  }
  for (const [key, value] of Object.entries(context)) outputs[`context-${key}`] = value
  return Object.fromEntries(
    Object.entries(outputs)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => [name, asText(value)]),
  )
}

// Names a step must not set through GITHUB_ENV: the runner's and the toolchain's own.
const RESERVED_ENV = /^(GITHUB_|RUNNER_|ACTIONS_|INPUT_)|^(PATH|HOME|CI|NODE_OPTIONS|BASH_ENV|ENV|LD_PRELOAD|LD_LIBRARY_PATH)$/

/** The environment variable for input `name`: upper case, any other character than A-Z, 0-9, _ as _. */
export function envName(name) {
  const env = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')
  if (!/^[A-Z_]/.test(env) || RESERVED_ENV.test(env)) {
    throw new ActionInputError(`export-env: input "${name}" would set ${env}, which a step may not set`)
  }
  return env
}
