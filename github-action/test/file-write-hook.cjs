// Test-only preload (node --require): before each append to a file (how @actions/core writes
// GITHUB_OUTPUT and GITHUB_ENV), prints a marker line with the data in base64, so that the log
// check knows which masks were registered on stdout before the write. stdout is a pipe here,
// whose writes are synchronous on Linux: the order on stdout is the order of the calls.
'use strict'
const fs = require('node:fs')
const { syncBuiltinESMExports } = require('node:module')

const appendFileSync = fs.appendFileSync
fs.appendFileSync = function hookedAppendFileSync(path, data, options) {
  process.stdout.write(`##test-file-write## ${Buffer.from(String(data)).toString('base64')}\n`)
  return appendFileSync.call(this, path, data, options)
}
syncBuiltinESMExports()
