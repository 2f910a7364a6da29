// Epilogue of node/README.md: the block's `openRun` on the demo run signed now (decrypted), then a
// tampered copy (PortSecretError, ERR_PORT_SECRET_INVALID_SIGNATURE).
const assert = require('node:assert/strict')
const { signPayload, PortSecretError } = require('port-secret')

;(async () => {
  const raw = fs.readFileSync('body.json')
  const ts = String(Math.floor(Date.now() / 1000))
  const headers = { 'x-port-signature': signPayload(raw, ts, process.env.PORT_CLIENT_SECRET), 'x-port-timestamp': ts }
  const run = await openRun(raw, headers)
  const expected = JSON.parse(fs.readFileSync('expected.json', 'utf8'))
  assert.deepEqual(run.payload.properties, expected.payload.properties)
  await assert.rejects(openRun(Buffer.concat([raw, Buffer.from(' ')]), headers),
    (err) => err instanceof PortSecretError && err.code === 'ERR_PORT_SECRET_INVALID_SIGNATURE')
  console.log('openRun: decrypted; tampered copy refused')
})().catch((error) => {
  console.error(error)
  process.exit(1)
})
