// Epilogue of README.md "Node": calls the block's `handle` with the demo run signed now (200),
// then with a tampered body (401).
const assert = require('node:assert/strict')
const { signPayload } = require('port-secret')

;(async () => {
  const raw = fs.readFileSync('body.json')
  const ts = String(Math.floor(Date.now() / 1000))
  const headers = { 'x-port-signature': signPayload(raw, ts, process.env.PORT_CLIENT_SECRET), 'x-port-timestamp': ts }
  assert.deepEqual(await handle(raw, headers), { status: 200 })
  assert.deepEqual(await handle(Buffer.concat([raw, Buffer.from(' ')]), headers), { status: 401 })
  console.log('handle: 200 signed, 401 tampered')
})().catch((error) => {
  console.error(error)
  process.exit(1)
})
