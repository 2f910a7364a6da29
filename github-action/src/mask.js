// What to register with `core.setSecret` for one decrypted value, before it is written anywhere.
//
// GitHub masks a log line by replacing every registered string it contains, one line at a time:
// a multi-line secret registered whole is never found in a log line, so each line of it must be
// registered as well. Each line is registered trimmed (a substring of the untrimmed line, so it
// still hides it, and it also hides the line printed with other indentation).
//
// The rule, for the pieces below (lines, string leaves): a piece is registered when it is
// "non-trivial", that is it has at least one letter or digit and is not PEM armor. Skipped:
//   - empty or white-space-only lines: registering " " would blank every space of the log;
//   - lines of punctuation only (`{`, `}`, `],`, `---`): structure, not secret, and registering
//     `{` would blank every brace of every later log line;
//   - PEM armor lines (`-----BEGIN PRIVATE KEY-----`, `-----END ...-----`): public text, shown
//     by every tool that prints a public key or a certificate.
// The value itself is always registered whole (unless it is empty or white space only), whatever
// it holds: a one-line secret of punctuation only is still a secret.
const PEM_ARMOR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u

/** True for a line or leaf worth registering as a secret on its own (see the rule above). */
export function isNonTrivial(piece) {
  return LETTER_OR_DIGIT.test(piece) && !PEM_ARMOR.test(piece)
}

/** The text forms one string takes: itself, and its JSON-escaped body when that differs. */
function forms(text) {
  const escaped = JSON.stringify(text).slice(1, -1)
  return escaped === text ? [text] : [text, escaped]
}

/** Registers the non-trivial lines of `text` (and their JSON-escaped forms) into `out`. */
function addLines(text, out) {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim()
    if (isNonTrivial(trimmed)) for (const form of forms(trimmed)) out.add(form)
  }
}

/** Every string leaf of a parsed JSON value. */
function* stringLeaves(value) {
  if (typeof value === 'string') {
    yield value
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) yield* stringLeaves(item)
  }
}

/**
 * The strings to pass to `core.setSecret` for one decrypted value: a string, or the parsed JSON
 * of a `type: object` input. Returns a Set (no duplicates).
 */
export function secretsToMask(value) {
  const out = new Set()
  if (typeof value === 'string') {
    if (value.trim() !== '') for (const form of forms(value)) out.add(form)
    addLines(value, out)
  } else if (value !== null && value !== undefined) {
    // An object input: its compact JSON text (the output's value), each string leaf whole and
    // line by line. `{}` and `[]` have no letter or digit: skipped, as structure.
    const text = JSON.stringify(value)
    if (isNonTrivial(text)) out.add(text)
    for (const leaf of stringLeaves(value)) {
      if (isNonTrivial(leaf)) for (const form of forms(leaf)) out.add(form)
      addLines(leaf, out)
    }
  }
  return out
}
