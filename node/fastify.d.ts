// Types of port-secret/fastify.
import type { FastifyPluginCallback } from 'fastify'
import type { Decryptor } from './index'
import type { PortRun as Run, PortWebhookErrorBody as ErrorBody, PortWebhookOptions as Options } from './express'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by port-secret/fastify on webhook routes: the verified run, secret inputs decrypted. */
    portRun: Run | null
  }
  interface FastifyContextConfig {
    /** `false`: this route is not a Port webhook route (no verification, default JSON body). */
    portWebhook?: boolean
  }
}

type PortSecretFastify = FastifyPluginCallback<portSecretFastify.PortSecretFastifyOptions>

declare namespace portSecretFastify {
  /** Options of the plugin: a Decryptor and the options of port-secret/express. */
  export interface PortSecretFastifyOptions extends Options {
    decryptor: Decryptor
  }
  export type PortRun = Run
  export type PortWebhookOptions = Options
  export type PortWebhookErrorBody = ErrorBody
  export const portSecretFastify: PortSecretFastify
  export { portSecretFastify as default }
}

/**
 * Verifies Port webhooks on their raw body and decrypts their secret inputs in a preHandler,
 * setting `request.portRun`; not encapsulated (routes of the context it is registered in). Answers
 * like port-secret/express: 401 `{error}`, 400 `{error, input}`, 413 `body_too_large`.
 */
declare function portSecretFastify(...params: Parameters<PortSecretFastify>): ReturnType<PortSecretFastify>
export = portSecretFastify
