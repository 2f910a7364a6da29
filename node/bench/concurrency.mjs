// decryptAsync throughput with concurrent calls against single-threaded sync decrypt.
//   node bench/concurrency.mjs [calls] [bits]        (default: 2000 calls, RSA-2048)
// The async calls run on the libuv thread pool (UV_THREADPOOL_SIZE, default 4), so on N cores
// they should approach N times the sync rate.
import { availableParallelism } from 'node:os'

import { Decryptor, encryptClientSide, generateKeyPair } from 'port-secret'

const calls = Number(process.argv[2] ?? 2000)
const bits = Number(process.argv[3] ?? 2048)
const { privateKey, publicKey } = generateKeyPair(bits)
const decryptor = new Decryptor({ privateKey })
const values = Array.from({ length: calls }, (_, i) => encryptClientSide(`secret value ${i}`, publicKey))

function sync() {
  const start = performance.now()
  for (const value of values) decryptor.decrypt(value, 'client-side')
  return calls / ((performance.now() - start) / 1000)
}

async function concurrent() {
  const start = performance.now()
  await Promise.all(values.map((value) => decryptor.decryptAsync(value, 'client-side')))
  return calls / ((performance.now() - start) / 1000)
}

// Warm up both paths, then take the best of three runs of each.
sync()
await concurrent()
const syncRate = Math.max(sync(), sync(), sync())
const asyncRate = Math.max(await concurrent(), await concurrent(), await concurrent())
const ratio = asyncRate / syncRate
console.log(`client-side RSA-${bits}, ${calls} calls, ${availableParallelism()} cores, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}`)
console.log(`sync decrypt:              ${syncRate.toFixed(0)} decryptions/s`)
console.log(`concurrent decryptAsync:   ${asyncRate.toFixed(0)} decryptions/s`)
console.log(`ratio: ${ratio.toFixed(2)}x`)
