// Types of port-secret/lambda. The event shapes are declared here (structurally, the fields used),
// so @types/aws-lambda's APIGatewayProxyEvent, APIGatewayProxyEventV2 and MSKEvent fit them.
import type { Decryptor, PortRun as Run } from './index'
import type { PortWebhookOptions as Options } from './express'
import type { PortKafkaOptions, PortKafkaRejectionInfo } from './kafkajs'

export type PortRun = Run
export type PortWebhookOptions = Options
export { PortWebhookRejection } from './express'
export { PortKafkaRejection } from './kafkajs'

/** An API Gateway REST API (payload v1), HTTP API (v2) or function URL event: the fields read. */
export interface HttpEvent {
  /** The body: text, or base64 when `isBase64Encoded`. */
  body?: string | null
  isBase64Encoded?: boolean
  /** Header names in any case. */
  headers?: Record<string, string | undefined> | null
  /** REST API (v1): every value of every header; preferred over `headers` when present. */
  multiValueHeaders?: Record<string, string[] | undefined> | null
  [field: string]: unknown
}

/** The proxy response every one of those integrations accepts. */
export interface HttpResult {
  statusCode: number
  headers?: Record<string, string | number | boolean>
  multiValueHeaders?: Record<string, Array<string | number | boolean>>
  body?: string
  isBase64Encoded?: boolean
  cookies?: string[]
}

/**
 * Wraps a handler for Port webhooks behind API Gateway (REST or HTTP API) or a function URL.
 * `handler(run, event, context)` is called only for a verified run; it returns an
 * {@link HttpResult}, or any other value (sent as JSON, 200; `undefined`: 204). A refused request:
 * 401 `{error}`, 400 `{error, input}` (`{error: "invalid_base64"}` for an `isBase64Encoded` body
 * that is not strict base64), 413 `{error: "body_too_large"}`.
 */
export declare function portWebhookHandler<Event extends HttpEvent = HttpEvent, Context = unknown>(
  decryptor: Decryptor,
  handler: (run: PortRun, event: Event, context: Context) => unknown,
  options?: PortWebhookOptions,
): (event: Event, context: Context) => Promise<HttpResult>

/** One record of an MSK or self-managed Kafka event (`event.records["topic-partition"][i]`). */
export interface KafkaRecord {
  topic: string
  partition: number | string
  offset: number
  timestamp?: number
  timestampType?: string
  /** base64 */
  key?: string | null
  /** base64 (strict: anything else is refused as `invalid_base64`): the message of Port's Kafka topic. */
  value?: string | null
  /** Each an object of one header name to its value's bytes. */
  headers?: Array<Record<string, number[] | string>>
  [field: string]: unknown
}

/** An Amazon MSK (`aws:kafka`) or self-managed Kafka (`SelfManagedKafka`) event. */
export interface KafkaEvent {
  eventSource?: string
  eventSourceArn?: string
  bootstrapServers?: string
  /** Keyed "topic-partition". */
  records: Record<string, KafkaRecord[]>
  [field: string]: unknown
}

/** The record a Kafka event source mapping resumes from: its "topic-partition" key and offset. */
export interface KafkaItemIdentifier {
  partition: string
  offset: number
}

/** The partial batch response Lambda reads when the mapping has `ReportBatchItemFailures`. */
export interface KafkaBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: KafkaItemIdentifier }>
}

export interface PortKafkaRecordRejectionInfo extends PortKafkaRejectionInfo {
  itemIdentifier: KafkaItemIdentifier
}

export interface PortKafkaHandlerOptions extends Omit<PortKafkaOptions, 'onReject'> {
  /**
   * A refused record: `'skip'` (default; reported, not retried), `'retry'` (also listed in
   * `batchItemFailures`; needs `reportBatchItemFailures`), `'throw'` (the invocation fails).
   */
  onError?: 'skip' | 'retry' | 'throw'
  /** Called for every refused record (default: one `console.warn` line, no value). */
  onReject?: (rejection: PortKafkaRecordRejectionInfo) => void | Promise<void>
  /**
   * The handler's errors: `false` (default) rethrown, the whole batch retried; `true` listed in
   * `batchItemFailures` (turn on `ReportBatchItemFailures` on the mapping).
   */
  reportBatchItemFailures?: boolean
}

/**
 * Wraps a handler for an MSK or self-managed Kafka event source mapping on Port's Kafka topic:
 * each record is opened with one `decryptor.openKafkaMessageAsync` call and `handler(run, record,
 * context)` is called for each verified run, in order. Resolves to a partial batch response.
 */
export declare function portKafkaHandler<Context = unknown>(
  decryptor: Decryptor,
  handler: (run: PortRun, record: KafkaRecord, context: Context) => unknown,
  options?: PortKafkaHandlerOptions,
): (event: KafkaEvent, context: Context) => Promise<KafkaBatchResponse>
