// examples/github-workflow: the Port action, the workflow and the action agree with each other,
// and the workflow runs as written: Port's workflowInputs rendered for a run, the action step's
// `with:` evaluated and run with dist/index.js, then the next step's script run with its `env:`,
// its log checked with the masks the action registered (as the runner carries them on).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { encryptAes256Gcm } from 'port-secret'
import YAML from 'yaml'
import { ACTION, checkLog, parseFileCommands, repoRoot, runAction, secretFragments } from './helpers.mjs'

const example = join(repoRoot, 'examples', 'github-workflow')
const workflow = YAML.parse(readFileSync(join(example, 'workflow.yml'), 'utf8'))
const portAction = JSON.parse(readFileSync(join(example, 'port-action.json'), 'utf8'))
const repository = new URL(JSON.parse(readFileSync(join(repoRoot, 'node', 'package.json'), 'utf8')).repository.url).pathname.slice(1)
const steps = workflow.jobs.rotate.steps
const actionStep = steps.find((step) => step.uses?.startsWith(`${repository}@`))

/** The few expressions the example uses, evaluated as GitHub does. */
function evaluate(text, context) {
  return String(text).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr) => {
    const path = (p) => p.split('.').reduce((node, key) => node?.[key], context)
    let m
    if (expr === 'toJSON(inputs)') return JSON.stringify(context.inputs, null, 2)
    if ((m = /^fromJSON\(([\w.-]+)\)\.([\w-]+)$/.exec(expr))) return String(JSON.parse(path(m[1]))[m[2]])
    if (/^[\w.-]+$/.test(expr)) return String(path(expr) ?? '')
    throw new Error(`expression not supported by this test: ${expr}`)
  })
}

test('the Port action, the workflow and action.yml agree', () => {
  assert.equal(repository, 'port-secret/port-secret')
  assert.ok(actionStep, `a step uses ${repository}@<ref>`)
  assert.equal(portAction.invocationMethod.type, 'GITHUB')
  const dispatch = workflow.on.workflow_dispatch.inputs
  assert.deepEqual(Object.keys(portAction.invocationMethod.workflowInputs).sort(), Object.keys(dispatch).sort())
  for (const name of Object.keys(actionStep.with)) assert.ok(name in ACTION.inputs, `with: ${name}`)
  // Every secret input of the Port action is in secret-inputs, `:object` for object ones.
  const listed = actionStep.with['secret-inputs'].split(',').map((s) => s.trim())
  const secret = Object.entries(portAction.trigger.userInputs.properties).filter(([, def]) => def.encryption)
  assert.deepEqual(listed.sort(), secret.map(([name, def]) => (def.type === 'object' ? `${name}:object` : name)).sort())
  for (const [name] of secret) assert.equal(portAction.invocationMethod.workflowInputs[name], `{{ .inputs.${name} }}`)
})

test('the example workflow runs as written: decrypt step, then a step that uses the outputs', () => {
  const clientSecret = 'example-client-secret-0123456789abcdef'
  const password = 'n3w-Pa55word!"$(id)'
  const connection = { host: 'db.internal.example', user: 'app_rotator', port: 5432 }
  // workflowInputs as Port renders them for one run: secrets encrypted, port_context as JSON text.
  const inputs = {
    db_password: encryptAes256Gcm(password, clientSecret),
    db_connection: encryptAes256Gcm(JSON.stringify(connection), clientSecret),
    reason: 'quarterly rotation',
    port_context: JSON.stringify({ runId: 'r_example_1', blueprint: 'service', entity: 'checkout' }),
  }
  const context = { inputs, secrets: { PORT_CLIENT_SECRET: clientSecret }, steps: {} }
  const withInputs = Object.fromEntries(Object.entries(actionStep.with).map(([name, value]) => [name, evaluate(value, context)]))
  const run = runAction(withInputs)
  assert.equal(run.status, 0, run.stdout)
  const outputs = parseFileCommands(run.outputFile)
  assert.equal(outputs.db_password, password)
  assert.deepEqual(JSON.parse(outputs.db_connection), connection)
  context.steps[actionStep.id] = { outputs }

  const next = steps[steps.indexOf(actionStep) + 1]
  const env = Object.fromEntries(Object.entries(next.env).map(([name, value]) => [name, evaluate(value, context)]))
  assert.equal(env.DB_HOST, 'db.internal.example')
  const script = spawnSync('bash', ['-e', '-c', evaluate(next.run, context)], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' })
  assert.equal(script.status, 0, script.stderr)
  // The runner keeps the masks of earlier steps: the whole job log, masked, shows no secret.
  checkLog(run.stdout + script.stdout, [...secretFragments(password), ...secretFragments(connection)])
  const lines = script.stdout.trim().split('\n')
  assert.deepEqual(lines.slice(0, 2), ['Port run r_example_1 on checkout: quarterly rotation', `The new password has ${password.length} characters`])
  assert.equal(lines[2], `Connecting to ${connection.host} as ${connection.user} with ${password}`) // raw; masked by the runner:
  const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice(12))
  assert.equal(masks.sort((a, b) => b.length - a.length).reduce((line, mask) => line.split(mask).join('***'), lines[2]), 'Connecting to *** as *** with ***')
})
