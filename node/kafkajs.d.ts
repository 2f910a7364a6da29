// Types of port-secret/kafkajs. kafkajs' payload is declared here structurally (the fields of its
// EachMessagePayload), so these types need no kafkajs and the function fits `consumer.run`.
import type { Decryptor, PortRun as Run } from './index'
import type { PortWebhookOptions } from './express'

export type PortRun = Run

/** A message as kafkajs hands it to `eachMessage` (the fields of its KafkaMessage). */
export interface EachMessage {
  key: Buffer | null
  value: Buffer | null
  timestamp: string
  offset: string
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>
}

/** kafkajs' EachMessagePayload. */
export interface EachMessagePayload {
  topic: string
  partition: number
  message: EachMessage
  heartbeat(): Promise<void>
  pause(): () => void
}

/** A Kafka message (or Lambda Kafka record) that port-secret refused, as `onReject` gets it. */
export interface PortKafkaRejectionInfo {
  /**
   * Why: `invalid_signature` / `expired` (unsigned, tampered, wrong secret, stale), the code of a
   * secret that fails (`authentication_failed`, `invalid_base64`, ...; then `input` names it),
   * `invalid_json` / `malformed` (not a run), `body_too_large` (over `maxBody`).
   */
  code: string
  /** The secret input that failed, by name (never its value). */
  input?: string
  topic: string
  partition: number | string
  offset: string | number
}

/** Thrown for a refused message with `onError: 'throw'`. */
export declare class PortKafkaRejection extends Error implements PortKafkaRejectionInfo {
  readonly name: 'PortKafkaRejection'
  readonly code: string
  readonly input?: string
  readonly topic: string
  readonly partition: number | string
  readonly offset: string | number
}

/** Options of the Kafka helpers: the run options (no `delivery`), the size cap, what to do with a refused message. */
export interface PortKafkaOptions extends Omit<PortWebhookOptions, 'delivery'> {
  /** Largest accepted message value, in bytes (default 1 MiB); larger is `body_too_large`. */
  maxBody?: number
  /** Alias of `maxBody` (a TypeError when both are given and differ). */
  limit?: number
  /** Called for every refused message (default: one `console.warn` line, no value). */
  onReject?: (rejection: PortKafkaRejectionInfo) => void | Promise<void>
}

export interface PortEachMessageOptions extends PortKafkaOptions {
  /** `'skip'` (default): report and go on, the offset is committed; `'throw'`: throw a {@link PortKafkaRejection}. */
  onError?: 'skip' | 'throw'
}

/**
 * An `eachMessage` for kafkajs' `consumer.run`: opens `message.value` with one
 * `decryptor.openKafkaMessageAsync` call and calls `handler(run, payload)` only for a verified run.
 * The handler's own errors propagate to kafkajs.
 */
export declare function portEachMessage(
  decryptor: Decryptor,
  handler: (run: PortRun, payload: EachMessagePayload) => unknown,
  options?: PortEachMessageOptions,
): (payload: EachMessagePayload) => Promise<void>
