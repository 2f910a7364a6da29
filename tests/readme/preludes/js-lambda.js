// Epilogue of node/README.md "AWS Lambda": the block's `exports.handler` gets a function URL event
// with the demo run signed now (200), then a tampered one (401). The block's Decryptor has no private
// key: the run is the demo run without its client-side input.
const assert = require('node:assert/strict')
const { readFileSync } = require('node:fs')
const { signPayload } = require('port-secret')

;(async () => {
  const demo = JSON.parse(readFileSync('body.json', 'utf8'))
  delete demo.payload.properties.vendor_api_key
  const raw = Buffer.from(JSON.stringify(demo))
  const ts = String(Math.floor(Date.now() / 1000))
  const event = (body) => ({
    version: '2.0',
    rawPath: '/',
    headers: { 'content-type': 'application/json', 'x-port-signature': signPayload(raw, ts, process.env.PORT_CLIENT_SECRET), 'x-port-timestamp': ts },
    requestContext: { http: { method: 'POST', path: '/' } },
    body: body.toString('base64'),
    isBase64Encoded: true,
  })
  const ok = await exports.handler(event(raw), {})
  assert.equal(ok.statusCode, 200)
  assert.deepEqual(JSON.parse(ok.body), { ok: true })
  const refused = await exports.handler(event(Buffer.concat([raw, Buffer.from(' ')])), {})
  assert.equal(refused.statusCode, 401)
  console.log('lambda handler: 200 signed, 401 tampered')
})().catch((error) => {
  console.error(error)
  process.exit(1)
})
