// Epilogue of the Next.js route handler blocks: POST gets a WHATWG Request with the demo run
// signed now (200 {ok: true}), then a tampered one (401). The block's Decryptor has no private key: the
// run is the demo run without its client-side input.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { signPayload } from 'port-secret'

const demo = JSON.parse(readFileSync('body.json', 'utf8'))
delete demo.payload.properties.vendor_api_key
const raw = Buffer.from(JSON.stringify(demo))
const ts = String(Math.floor(Date.now() / 1000))
const headers = { 'content-type': 'application/json', 'x-port-signature': signPayload(raw, ts, process.env.PORT_CLIENT_SECRET), 'x-port-timestamp': ts }
const post = (body) => POST(new Request('http://localhost/port/actions', { method: 'POST', headers, body }))
const ok = await post(raw)
assert.equal(ok.status, 200)
assert.deepEqual(await ok.json(), { ok: true })
const refused = await post(Buffer.concat([raw, Buffer.from(' ')]))
assert.equal(refused.status, 401)
console.log('route: 200 signed, 401 tampered')
