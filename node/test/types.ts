// Type-checked with `tsc --noEmit -p test` against the package's index.d.ts (never run): every
// public name with its documented types, and `@ts-expect-error` on misuses the types must reject.
import {
  Decryptor,
  type DecryptorOptions,
  type EncryptionSpec,
  type KeyPair,
  PortSecretError,
  type PortSecretErrorCode,
  type PortRun,
  type RunOptions,
  type WebhookHeaders,
  RSA_BACKEND,
  VERSION,
  decryptAes256Gcm,
  decryptAes256GcmBytes,
  decryptClientSide,
  decryptClientSideBytes,
  decryptFernet,
  decryptFernetBytes,
  encryptAes256Gcm,
  encryptClientSide,
  encryptFernet,
  generateKeyPair,
  maskPieces,
  signPayload,
  verifySignature,
} from 'port-secret'

const secret: string = 'x'.repeat(40)
const pair: KeyPair = generateKeyPair(2048)
const pair2: { privateKey: string; publicKey: string } = generateKeyPair()

const gcm: string = encryptAes256Gcm('text', secret)
const fromBytes: string = encryptAes256Gcm(Buffer.from('bytes'), secret)
const fromArray: string = encryptAes256Gcm(new Uint8Array([1, 2]), secret)
const text: string = decryptAes256Gcm(gcm, secret)
const bytes: Buffer = decryptAes256GcmBytes(Buffer.from(gcm), secret)
const side: string = encryptClientSide('text', pair.publicKey)
const sideText: string = decryptClientSide(side, pair.privateKey)
const sideBytes: Buffer = decryptClientSideBytes(side, pair2.privateKey)
const token: string = encryptFernet('text', secret)
const fernetText: string = decryptFernet(token, secret, { ttl: 60 })
const fernetBytes: Buffer = decryptFernetBytes(token, secret, { ttl: 60, now: 1767225600 })
const header: string = signPayload('{}', '1767225600', secret)
const header2: string = signPayload(Buffer.from('{}'), 1767225600, secret)
const verified: void = verifySignature('{}', header, '1767225600', secret, { tolerance: 300 })
verifySignature(Buffer.from('{}'), header2, 1767225600, secret)
const version: string = VERSION
const masks: string[] = maskPieces('line one\nline two')
const objectMasks: string[] = maskPieces({ password: 'x' })
const backend: string = RSA_BACKEND

const options: DecryptorOptions = { clientSecret: [secret, secret], privateKey: pair.privateKey, maxInputLen: 4096 }
const decryptor = new Decryptor(options)
new Decryptor({ privateKey: [pair.privateKey] })
const spec: EncryptionSpec = { algorithm: 'client-side', key: pair.publicKey }
const one: string = decryptor.decrypt(gcm, 'aes256-gcm')
const two: string = decryptor.decrypt(side, spec)
const three: Buffer = decryptor.decryptBytes(side, { algorithm: 'client-side' })
const json: unknown = decryptor.decryptJson(gcm, 'aes256-gcm')
const pending: Promise<string> = decryptor.decryptAsync(side, spec)
const props: Record<string, unknown> = decryptor.decryptProperties({ a: gcm }, { properties: { a: { type: 'string', encryption: 'aes256-gcm' } } })
const propsAsync: Promise<Record<string, unknown>> = decryptor.decryptPropertiesAsync({ a: gcm }, { a: { encryption: 'aes256-gcm' } })
decryptor.verifySignature('{}', header, '1767225600', { tolerance: 60, now: 1767225600 })
const counts: number = decryptor.clientSecretCount + decryptor.privateKeyCount + decryptor.maxInputLen

// The run: one call per delivery.
const runOptions: RunOptions = { delivery: 'agent', tolerance: 60, userInputs: ['token'], defaultEncryption: spec, now: 1767225600 }
const webhookHeaders: WebhookHeaders = { 'x-port-signature': header, 'x-port-timestamp': '1767225600', via: ['a', 'b'], none: undefined }
const run: PortRun = decryptor.openWebhook('{}', webhookHeaders, runOptions)
const runFromHeaders: Record<string, any> = decryptor.openWebhook(Buffer.from('{}'), new Headers({ 'x-port-signature': header }))
const runFromPairs: Promise<PortRun> = decryptor.openWebhookAsync('{}', [['X-Port-Signature', header], ['x-port-timestamp', Buffer.from('1')]], {
  userInputs: { properties: { a: { encryption: 'aes256-gcm' } } },
  verifySignature: false,
  propertiesPointer: '/inputs',
  userInputsPointer: '',
  maxBody: 4096,
  maxClientSideInputs: 4,
})
const kafka: PortRun = decryptor.openKafkaMessage(Buffer.from('{}'), { tolerance: 300 })
const kafkaAsync: Promise<PortRun> = decryptor.openKafkaMessageAsync('{}')

async function handler(): Promise<string> {
  try {
    return await decryptor.decryptAsync(side, 'client-side')
  } catch (error) {
    if (error instanceof PortSecretError) {
      const code: PortSecretErrorCode = error.code
      const input: string | undefined = error.input
      const name: 'PortSecretError' = error.name
      return `${code} ${input ?? ''} ${name} ${error.message}`
    }
    throw error
  }
}
const asError: Error = new PortSecretError('malformed: x', 'ERR_PORT_SECRET_MALFORMED')

// Misuses the types reject.
// @ts-expect-error a number is not a value
decryptAes256Gcm(42, secret)
// @ts-expect-error the client secret is a string
decryptAes256Gcm(gcm, Buffer.from(secret))
// @ts-expect-error ttl is a number
decryptFernet(token, secret, { ttl: '60' })
// @ts-expect-error options are required
new Decryptor()
// @ts-expect-error clientSecret is a string or a list of strings
new Decryptor({ clientSecret: 42 })
// @ts-expect-error encryption is a string or an EncryptionSpec
decryptor.decrypt(gcm, 42)
// @ts-expect-error decryptAsync returns a Promise, not a string
const notString: string = decryptor.decryptAsync(gcm, 'aes256-gcm')
// @ts-expect-error delivery is 'port' or 'agent'
decryptor.openWebhook('{}', {}, { delivery: 'kafka' })
// @ts-expect-error headers are required (null for none)
decryptor.openWebhook('{}')
// @ts-expect-error openWebhook returns the run, not a Promise
const notRun: Promise<PortRun> = decryptor.openWebhook('{}', null)
// @ts-expect-error not a PortSecretError code
const badCode: PortSecretErrorCode = 'ERR_OTHER'
// @ts-expect-error the loader's internal registration function is not part of the package API
import { setErrorClass } from 'port-secret'

export {
  asError, backend, badCode, masks, objectMasks, bytes, counts, fernetBytes, fernetText, fromArray, fromBytes, handler,
  json, kafka, kafkaAsync, notRun, notString, one, run, runFromHeaders, runFromPairs, pending, props, propsAsync, setErrorClass, sideBytes, sideText, text, three,
  two, verified, version,
}
