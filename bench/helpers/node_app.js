// Three routes on one signed Port run, in Express or Fastify (bench/helpers/run.sh):
//   /helper: port-secret's helper (signature, parse, definitions, three decryptions, async);
//   /bare:   JSON.parse of the raw body only (no signature check, no decryption);
//   /docs:   the decrypt code of Port's docs page: node:crypto AES-GCM per secret input.
//   node node_app.js express|fastify PORT
'use strict'
const crypto = require('node:crypto')
const { Decryptor } = require('port-secret')

const [framework, port] = process.argv.slice(2)
const secret = process.env.PORT_CLIENT_SECRET
const decryptor = new Decryptor({ clientSecret: secret })

function docsDecrypt(body) {
  const key = Buffer.from(secret.slice(0, 32), 'utf8')
  const definitions = body.payload.action.userInputs.properties
  const properties = body.payload.properties
  for (const [name, definition] of Object.entries(definitions)) {
    if (!definition.encryption) continue
    const data = Buffer.from(properties[name], 'base64')
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, 16))
    decipher.setAuthTag(data.subarray(data.length - 16))
    const text = Buffer.concat([decipher.update(data.subarray(16, data.length - 16)), decipher.final()]).toString('utf8')
    properties[name] = definition.type === 'object' ? JSON.parse(text) : text
  }
  if (properties.db_connection.port !== 5432) throw new Error('bad decrypt')
}

if (framework === 'express') {
  const express = require('express')
  const { portWebhook } = require('port-secret/express')
  const app = express()
  app.post('/helper', portWebhook(decryptor), (req, res) => {
    if (req.portRun.payload.properties.db_connection.port !== 5432) throw new Error('bad decrypt')
    res.json({ ok: true })
  })
  app.post('/bare', express.raw({ type: 'application/json', limit: '1mb' }), (req, res) => {
    JSON.parse(req.body.toString('utf8'))
    res.json({ ok: true })
  })
  app.post('/docs', express.json({ limit: '1mb' }), (req, res) => {
    docsDecrypt(req.body)
    res.json({ ok: true })
  })
  app.listen(Number(port), '127.0.0.1')
} else {
  const fastify = require('fastify')()
  fastify.register(async (hooks) => {
    await hooks.register(require('port-secret/fastify'), { decryptor })
    hooks.post('/helper', async (request) => {
      if (request.portRun.payload.properties.db_connection.port !== 5432) throw new Error('bad decrypt')
      return { ok: true }
    })
  })
  fastify.register(async (plain) => {
    // Fastify's own JSON parser (secure-json-parse over JSON.parse) is the "bare" floor.
    plain.post('/bare', async (request) => ({ ok: Boolean(request.body.payload) }))
    plain.post('/docs', async (request) => {
      docsDecrypt(request.body)
      return { ok: true }
    })
  })
  fastify.listen({ port: Number(port), host: '127.0.0.1' })
}
