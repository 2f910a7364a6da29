// A real browser, as Port's: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) loads an action form served on 127.0.0.1, and the page encrypts the
// client-side secret input with WebCrypto for the action's public key. The page posts the run to
// a stand-in for Port's server (this file), which does what Port's server does with it: encrypts
// the aes256-gcm input with the client secret, wraps everything in the legacy run body, signs it
// ("<timestamp>.<raw body>", HMAC-SHA256) and delivers it to an example backend. A browser cannot
// sign (it never holds the client secret), so signing here is the honest split. The example
// decrypts with port-secret and hands the values to its DOWNSTREAM_URL (a real HTTP server here),
// which must receive exactly the typed values; its answer holds only the input names.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { assertNothingDerived, demo, encryptServer, runBody, sign, startDownstream, startExample } from './port.mjs'

const require = createRequire(import.meta.url)
const { chromium } = require('playwright-core')
const here = dirname(fileURLToPath(import.meta.url))
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium'
const names = (process.env.E2E_EXAMPLES ?? 'flask,express,fastify').split(',').filter(Boolean)

/** Port's server, as far as a run goes: serves the form, encrypts, signs, delivers. */
function portStandIn(webhookUrl) {
  const seen = [] // what arrived from the browser, to check no plaintext of a client-side input did
  const files = {
    '/': ['text/html', readFileSync(join(here, 'browser', 'index.html'))],
    '/form.js': ['text/javascript', readFileSync(join(here, 'browser', 'form.js'))],
    '/action.json': ['application/json', JSON.stringify(demo.action)],
  }
  const server = createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && files[req.url]) {
        const [type, body] = files[req.url]
        res.writeHead(200, { 'content-type': type })
        res.end(body)
        return
      }
      if (req.method === 'POST' && req.url === '/runs') {
        let text = ''
        for await (const chunk of req) text += chunk
        seen.push(text)
        const { properties } = JSON.parse(text)
        const body = await runBody()
        body.payload.properties = {
          db_password: encryptServer(properties.db_password, demo.clientSecret), // server-side
          vendor_api_key: properties.vendor_api_key, // as the browser encrypted it
          reason: properties.reason,
        }
        body.payload.censoredProperties = ['db_password', 'vendor_api_key']
        const raw = JSON.stringify(body)
        const delivered = await fetch(webhookUrl.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...sign(raw, demo.clientSecret) },
          body: raw,
        })
        res.writeHead(delivered.status, { 'content-type': 'application/json' })
        res.end(await delivered.text())
        return
      }
      res.writeHead(404).end()
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ standIn: String(error) }))
    }
  })
  return { server, seen }
}

describe('a real browser encrypts a client-side input, an example decrypts it', () => {
  const webhook = { url: '' }
  const standIn = portStandIn(webhook)
  let context
  let profile
  let origin
  before(async () => {
    await new Promise((resolve) => standIn.server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${standIn.server.address().port}`
    profile = mkdtempSync(join(tmpdir(), 'port-secret-chromium-'))
    // launchPersistentContext is how playwright takes a --user-data-dir: a fresh one per run.
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  })
  after(async () => {
    await context?.close()
    standIn.server.close()
    if (profile) rmSync(profile, { recursive: true, force: true })
  })

  for (const name of names) {
    test(`Chromium -> Port stand-in -> examples/${name}`, async () => {
      const downstream = await startDownstream()
      const example = await startExample(name, { DOWNSTREAM_URL: downstream.url })
      try {
        webhook.url = `${example.url}/port/actions`
        const page = await context.newPage()
        await page.goto(origin + '/')
        await page.waitForFunction(() => !document.getElementById('execute').disabled)
        assert.ok(await page.evaluate(() => window.isSecureContext && !!window.crypto.subtle))
        const typed = {
          db_password: `pw-${name}-✓-${Date.now()}`,
          vendor_api_key: `sk_live_${name}_${Math.random().toString(36).slice(2)}`,
        }
        await page.fill('#db_password', typed.db_password)
        await page.fill('#vendor_api_key', typed.vendor_api_key)
        await page.fill('#reason', 'browser test')
        await page.click('#execute')
        await page.waitForFunction(() => window.runResult !== undefined, null, { timeout: 20_000 })
        const result = await page.evaluate(() => window.runResult)
        await page.close()

        assert.equal(result.status, 200, JSON.stringify(result))
        assert.equal(result.body.ok, true)
        assert.deepEqual(result.body.secrets, ['db_password', 'vendor_api_key'])
        assert.equal(downstream.received.length, 1)
        assert.deepEqual(downstream.received[0].body, { runId: result.body.runId, secrets: typed })
        assertNothingDerived(JSON.stringify(result.body), Object.values(typed), `examples/${name}'s answer`)

        // What left the browser for the client-side input: ciphertext in the documented layout.
        const sent = JSON.parse(standIn.seen.at(-1)).properties.vendor_api_key
        assert.ok(!standIn.seen.at(-1).includes(typed.vendor_api_key))
        const bytes = Buffer.from(sent, 'base64')
        assert.equal(bytes.toString('base64'), sent)
        assert.equal(bytes.length, 12 + 256 + Buffer.byteLength(typed.vendor_api_key) + 16)
        assertNothingDerived(example.output(), Object.values(typed), `examples/${name}'s output`)
      } finally {
        await example.stop()
        await downstream.close()
      }
    })
  }
})
