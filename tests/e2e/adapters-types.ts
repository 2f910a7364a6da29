// Compiled (tsc --noEmit -p tsconfig.adapters.json) against the installed web.d.ts, lambda.d.ts
// and kafkajs.d.ts: the adapters as a Next.js route, a Hono route, Lambda handlers and a kafkajs
// consumer would use them (kafkajs' own types check that portEachMessage fits consumer.run).
import { Decryptor } from 'port-secret'
import { openRun, portRoute, type OpenRunResult } from 'port-secret/web'
import {
  portKafkaHandler,
  portWebhookHandler,
  PortKafkaRejection,
  type HttpEvent,
  type HttpResult,
  type KafkaBatchResponse,
  type KafkaEvent,
} from 'port-secret/lambda'
import { portEachMessage, type PortKafkaRejectionInfo } from 'port-secret/kafkajs'
import { Kafka } from 'kafkajs'
import { Hono } from 'hono'

const decryptor = new Decryptor({ clientSecret: 'x'.repeat(40) })

// Next.js: app/port/actions/route.ts
export async function POST(request: Request): Promise<Response> {
  const result: OpenRunResult = await openRun(decryptor, request, { tolerance: 300 })
  if (result.response) return result.response
  const password: unknown = result.run.payload.properties.db_password
  return Response.json({ ok: typeof password === 'string' })
}
export const PUT = portRoute(decryptor, (run, request) => ({ runId: run.context.runId, url: request.url }))

// Hono
const app = new Hono()
app.post('/port/actions', async (c) => {
  const { run, response } = await openRun(decryptor, c.req.raw)
  if (response) return response
  return c.json({ runId: String(run.context.runId) })
})
const route = portRoute(decryptor, () => new Response(null, { status: 204 }))
app.post('/port/route', (c) => route(c.req.raw))

// Lambda
export const handler: (event: HttpEvent, context: unknown) => Promise<HttpResult> = portWebhookHandler(decryptor, async (run) => ({
  statusCode: 200,
  body: JSON.stringify({ runId: run.context.runId }),
}))
export const kafkaHandler: (event: KafkaEvent, context: unknown) => Promise<KafkaBatchResponse> = portKafkaHandler(
  decryptor,
  async (run, record) => {
    void [run.payload, record.topic, record.offset]
  },
  { onError: 'retry', reportBatchItemFailures: true, onReject: (info) => console.warn(info.code, info.itemIdentifier.partition) },
)
const isRejection = (error: unknown): boolean => error instanceof PortKafkaRejection && error.code.length > 0

// kafkajs
async function consume(): Promise<void> {
  const consumer = new Kafka({ brokers: ['127.0.0.1:9092'] }).consumer({ groupId: 'g' })
  const report = (info: PortKafkaRejectionInfo): void => console.warn(info.code, info.topic, info.partition, info.offset, info.input)
  await consumer.run({
    eachMessage: portEachMessage(
      decryptor,
      async (run, { topic, partition, message, heartbeat }) => {
        void [run.payload, topic, partition, message.offset]
        await heartbeat()
      },
      { onError: 'skip', onReject: report, limit: 1 << 20 },
    ),
  })
}
void [consume, isRejection]
