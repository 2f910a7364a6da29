// port-secret/express on an oversized body, over real sockets: the 413 goes out at once with
// `Connection: close`; a client that sends a few MiB more still reads it (the server drains a
// bounded rest of the body before closing), an endless upload is cut off once the server has
// discarded DRAIN_BYTES more bytes or DRAIN_MS have passed.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { connect } from 'node:net'
import { after, before, describe, test } from 'node:test'

import { demo, runBody, sign } from './port.mjs'

const require = createRequire(import.meta.url)
const { Decryptor } = require('port-secret')
const { portWebhook, _internal } = require('port-secret/express')
const express = require('express')

const MiB = 1024 * 1024
const LIMIT = MiB // the default maxBody
const { DRAIN_BYTES, DRAIN_MS } = _internal
const SLACK = 256 * 1024 // socket reads are up to 64 KiB: a few of them past a bound
const decryptor = new Decryptor({ clientSecret: demo.clientSecret, privateKey: readFileSync(demo.privateKeyFile, 'utf8') })

describe('port-secret/express: 413 with a bounded drain', () => {
  let server
  let port
  const serverSide = new Map() // client port -> the server's socket of that connection
  before(async () => {
    const app = express()
    app.post('/port/actions', portWebhook(decryptor), (req, res) => res.json({ ok: true }))
    server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    port = server.address().port
    server.on('connection', (socket) => serverSide.set(socket.remotePort, socket))
  })
  after(() => {
    server.closeAllConnections()
    server.close()
  })

  test('the bounds are what a normal oversized client needs, and no more', () => {
    assert.ok(DRAIN_BYTES >= 4 * MiB + 64 * 1024, 'a 4 MiB upload must still read its 413')
    assert.ok(DRAIN_BYTES <= 16 * MiB, String(DRAIN_BYTES))
    assert.ok(DRAIN_MS >= 1000 && DRAIN_MS <= 30_000, String(DRAIN_MS))
  })

  test('fetch of a 4 MiB signed run (Content-Length, then chunked): 413 body_too_large, Connection: close', async () => {
    const body = await runBody({ overrides: { reason: 'x'.repeat(4 * MiB) } })
    const raw = JSON.stringify(body)
    const declared = await fetch(`http://127.0.0.1:${port}/port/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign(raw, demo.clientSecret) },
      body: raw,
    })
    assert.equal(declared.status, 413)
    assert.equal(declared.headers.get('connection'), 'close')
    assert.deepEqual(await declared.json(), { error: 'body_too_large' })

    const bytes = Buffer.from(raw)
    const chunked = await fetch(`http://127.0.0.1:${port}/port/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign(raw, demo.clientSecret) },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024))
          controller.close()
        },
      }),
      duplex: 'half',
    })
    assert.equal(chunked.status, 413)
    assert.deepEqual(await chunked.json(), { error: 'body_too_large' })

    // And the server still answers a run within the limit.
    const small = JSON.stringify(await runBody())
    const ok = await fetch(`http://127.0.0.1:${port}/port/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign(small, demo.clientSecret) },
      body: small,
    })
    assert.equal(ok.status, 200)
  })

  /**
   * Streams `total` bytes on a raw socket as fast as the socket takes them (`pace` ms between
   * writes, if given), then ends its side; resolves when the connection is closed: what was
   * written, what came back, how long it took, the socket's error code if any, and how many bytes
   * the server read from that connection.
   */
  function upload(head, total, { pace = 0, chunk = 64 * 1024, frame = (c) => c } = {}) {
    return new Promise((resolve) => {
      const started = Date.now()
      const socket = connect(port, '127.0.0.1')
      let written = 0
      let answer = ''
      let closed = false
      let localPort
      let error
      const block = Buffer.alloc(chunk, 0x20)
      socket.on('data', (data) => (answer += data.toString('latin1')))
      socket.on('error', (e) => (error = e.code)) // EPIPE / ECONNRESET: the server cut it off
      socket.on('close', async () => {
        closed = true
        const ms = Date.now() - started
        const theirs = serverSide.get(localPort)
        while (!theirs.destroyed) await new Promise((r) => setTimeout(r, 10))
        resolve({ written, answer, ms, error, serverRead: theirs.bytesRead })
      })
      socket.write(head)
      const pump = () => {
        while (!closed && written < total) {
          written += chunk
          if (!socket.write(frame(block))) return socket.once('drain', pump)
          if (pace) return setTimeout(pump, pace)
        }
        if (written >= total) socket.end()
      }
      socket.once('connect', () => {
        localPort = socket.localPort
        pump()
      })
    })
  }

  test('a raw client that writes all of its 4 MiB before it reads: no reset, every byte taken, then the 413', async () => {
    const total = 4 * MiB
    const head = `POST /port/actions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`
    const result = await upload(head, total, { pace: 1 })
    assert.equal(result.error, undefined, 'the server reset the connection while the client was still writing')
    assert.equal(result.written, total)
    assert.equal(result.serverRead, Buffer.byteLength(head) + total)
    assert.match(result.answer, /^HTTP\/1\.1 413 /)
    assert.ok(result.answer.endsWith('{"error":"body_too_large"}'), result.answer)
  })

  for (const [name, head, frame] of [
    ['Content-Length: 64 MiB', `POST /port/actions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${64 * MiB}\r\n\r\n`],
    [
      'chunked, 64 MiB',
      'POST /port/actions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      (c) => Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]),
    ],
  ]) {
    test(`a raw socket streaming ${name}: the 413 first, then cut off after at most the bound`, async () => {
      const result = await upload(head, 64 * MiB, { frame })
      assert.match(result.answer, /^HTTP\/1\.1 413 /)
      assert.match(result.answer, /\r\nconnection: close\r\n/i)
      assert.ok(result.answer.endsWith('{"error":"body_too_large"}'), result.answer)
      // Closed long before the end: the kernel's buffers hold a few MiB more than the server read.
      assert.ok(result.written < 32 * MiB, `wrote ${result.written} bytes before the server closed`)
      assert.ok(result.ms < DRAIN_MS, `${result.ms} ms: cut by the byte bound, not the timer`)
      const { serverRead } = result
      assert.ok(serverRead > DRAIN_BYTES, `the server read ${serverRead} bytes: it did drain`)
      assert.ok(serverRead <= LIMIT + DRAIN_BYTES + SLACK, `the server read ${serverRead} bytes, over the bound`)
    })
  }

  test('a slow upload (64 KiB every 50 ms, 64 MiB declared): the 413 first, then cut off after DRAIN_MS', async () => {
    const head = `POST /port/actions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${64 * MiB}\r\n\r\n`
    const result = await upload(head, 64 * MiB, { pace: 50 })
    assert.match(result.answer, /^HTTP\/1\.1 413 /)
    assert.ok(result.ms >= DRAIN_MS - 100 && result.ms < DRAIN_MS + 3000, `closed after ${result.ms} ms`)
    assert.ok(result.written < 8 * MiB, String(result.written))
  })
})
