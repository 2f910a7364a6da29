// What to register with `core.setSecret` for one decrypted value, before it is written anywhere.
//
// The rule is port-secret's own (`maskPieces`, in its Rust core), the one the CLI's `decrypt-env`
// follows too: the value whole (unless empty or white space only), each line of it that has a
// letter or a digit and is not PEM armor, trimmed (GitHub masks one log line at a time, so a
// multi-line secret registered whole would never match), and their JSON-escaped forms; for a
// `type: object` input, its compact JSON text and each string leaf, whole and line by line.
// Punctuation-only lines (`{`, `],`) and white space are never registered on their own: they
// would blank every brace or space of every later log line. This file only drops the repeats.

/**
 * The strings to pass to `core.setSecret` for one decrypted value: a string, or the parsed JSON
 * of a `type: object` input (`null`/`undefined`: none). `maskPieces` is port-secret's, passed in
 * because the package (and its native addon) is loaded at run time. Returns a Set (no repeats).
 */
export function secretsToMask(maskPieces, value) {
  return new Set(value == null ? [] : maskPieces(value))
}
