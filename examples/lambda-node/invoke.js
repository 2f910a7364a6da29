// Invokes handler.js locally, as Lambda would, with events in the shapes AWS documents: the demo
// run (../demo/body.json) signed as Port signs it, delivered through API Gateway REST (v1), an
// HTTP API (v2, base64 body), a function URL and an MSK batch; plus two deliveries it must refuse
// (unsigned, tampered). Prints one line per invocation: status and body (input names only).
//
//   PORT_CLIENT_SECRET=... PORT_PRIVATE_KEY_FILE=key.pem node invoke.js [body.json]
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { handler, kafkaHandler } = require('./handler.js')

const secret = process.env.PORT_CLIENT_SECRET
const raw = fs.readFileSync(process.argv[2] || path.join(__dirname, '..', 'demo', 'body.json'), 'utf8')
const now = () => Math.floor(Date.now() / 1000)

/** Port's webhook signature headers: HMAC-SHA256 keyed with the client secret over "<ts>.<raw body>". */
function sign(body, timestamp = now()) {
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('base64')
  return { 'X-Port-Signature': `v1,${mac}`, 'X-Port-Timestamp': String(timestamp) }
}

/** A message of Port's Kafka topic: the signature inside it, over its compact JSON without it. */
function kafkaMessage(body, timestamp = now()) {
  const message = { ...JSON.parse(body), headers: {} }
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${JSON.stringify(message)}`).digest('base64')
  message.headers = { 'X-Port-Signature': `v1,${mac}`, 'X-Port-Timestamp': String(timestamp) }
  return JSON.stringify(message)
}

const lower = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))

function restEvent(body, headers) {
  const all = { 'Content-Type': 'application/json', ...headers }
  return {
    resource: '/port/actions',
    path: '/port/actions',
    httpMethod: 'POST',
    headers: all,
    multiValueHeaders: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    requestContext: { httpMethod: 'POST', resourcePath: '/port/actions', stage: 'prod' },
    body,
    isBase64Encoded: false,
  }
}

function httpApiEvent(body, headers, routeKey = 'POST /port/actions') {
  return {
    version: '2.0',
    routeKey,
    rawPath: '/port/actions',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...lower(headers) },
    requestContext: { http: { method: 'POST', path: '/port/actions', protocol: 'HTTP/1.1' }, routeKey, stage: '$default' },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  }
}

function mskEvent(messages) {
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/port-runs/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
    records: {
      'port-runs-0': messages.map((message, offset) => ({
        topic: 'port-runs',
        partition: 0,
        offset,
        timestamp: Date.now(),
        timestampType: 'CREATE_TIME',
        value: Buffer.from(message).toString('base64'),
        headers: [],
      })),
    },
  }
}

async function main() {
  const context = { functionName: 'port-actions-local' }
  const tampered = raw.replace('"reason"', '"Reason"')
  const invocations = [
    ['apigw-rest (v1)', restEvent(raw, sign(raw))],
    ['http-api (v2, base64 body)', httpApiEvent(raw, sign(raw))],
    ['function-url', httpApiEvent(raw, sign(raw), '$default')],
    ['unsigned', httpApiEvent(raw, {})],
    ['tampered', restEvent(tampered, sign(raw))],
  ]
  for (const [name, event] of invocations) {
    const result = await handler(event, context)
    console.log(`${name}: ${result.statusCode} ${result.body}`)
  }
  const batch = mskEvent([kafkaMessage(raw), kafkaMessage(raw).replace('"reason"', '"Reason"')])
  console.log(`msk batch: ${JSON.stringify(await kafkaHandler(batch, context))}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
