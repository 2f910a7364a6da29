// What Port's browser does for an action run: every input whose `encryption` is client-side is
// encrypted here, with WebCrypto, for the action's public key, so that only the backend holding the
// private key can read it. The layout: IV (12) ‖ RSA-OAEP-SHA-256(AES-256 key) ‖ AES-GCM ciphertext
// and tag, base64. Other inputs (aes256-gcm ones included) go to Port's server, which encrypts
// those with the organisation's client secret, then signs and delivers the run.

function pemToDer(pem) {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
}

function toBase64(bytes) {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

async function encryptClientSide(plaintext, publicKeyPem) {
  const { subtle } = window.crypto
  const rsa = await subtle.importKey('spki', pemToDer(publicKeyPem), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, [
    'encrypt',
  ])
  const aes = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt'])
  const iv = window.crypto.getRandomValues(new Uint8Array(12))
  const ciphertext = new Uint8Array(
    await subtle.encrypt({ name: 'AES-GCM', iv }, aes, new TextEncoder().encode(plaintext)),
  )
  const wrapped = new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, rsa, await subtle.exportKey('raw', aes)))
  const out = new Uint8Array(iv.length + wrapped.length + ciphertext.length)
  out.set(iv, 0)
  out.set(wrapped, iv.length)
  out.set(ciphertext, iv.length + wrapped.length)
  return toBase64(out)
}

const status = document.getElementById('status')
const action = await (await fetch('/action.json')).json()
const definitions = action.trigger.userInputs.properties
document.getElementById('title').textContent = action.title
document.getElementById('execute').disabled = false

document.getElementById('run').addEventListener('submit', async (event) => {
  event.preventDefault()
  status.textContent = 'running'
  try {
    const properties = {}
    for (const name of ['db_password', 'vendor_api_key', 'reason']) {
      const value = document.getElementById(name).value
      const encryption = definitions[name].encryption
      properties[name] =
        encryption && typeof encryption === 'object' && encryption.algorithm === 'client-side'
          ? await encryptClientSide(value, encryption.key)
          : value
    }
    const res = await fetch('/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ properties }),
    })
    window.runResult = { status: res.status, body: await res.json() }
    status.textContent = `done ${res.status}`
  } catch (error) {
    window.runResult = { error: String(error) }
    status.textContent = 'failed'
  }
})
