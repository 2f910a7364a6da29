// The Port side of the end-to-end tests (signing, Port's server-side encryption, the demo data),
// shared with tests/e2e/: one copy, re-exported here for the helper tests.
export * from '../../../tests/e2e/port.mjs'
