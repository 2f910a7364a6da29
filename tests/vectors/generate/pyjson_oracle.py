#!/usr/bin/env python3
"""Python's json as an oracle: what port-agent's re-serialization makes of a JSON document.

Input (stdin, UTF-8): one document per line, each line a JSON string literal whose value is the
raw document text (so a document may hold newlines, any character, or be invalid JSON).
Output (stdout, one line per input line, flushed): a JSON array [ascii, unicode] where
  ascii   = json.dumps(json.loads(doc), separators=(",", ":"), ensure_ascii=True)   (agent webhooks)
  unicode = json.dumps(json.loads(doc), separators=(",", ":"), ensure_ascii=False)  (Kafka messages)
or [null, null] when json.loads raises (ValueError, or RecursionError on deep nesting).

This is plain json.loads, not the library's strict parser: it accepts NaN, Infinity and
-Infinity (written back as such), reads 1e400 as Infinity, keeps integers of any size, lets the
last of duplicate keys win (at the first key's position) and accepts lone surrogate escapes. A
caller compares only documents both sides accept. A line that is not a JSON string: exit 2.

Usage: printf '%s\\n' '"{\\"a\\": 1.50}"' | python3 pyjson_oracle.py    ->  ["{\\"a\\":1.5}","{\\"a\\":1.5}"]
"""
import json
import sys


def reserialize(doc):
    try:
        value = json.loads(doc)
        return [json.dumps(value, separators=(",", ":"), ensure_ascii=True),
                json.dumps(value, separators=(",", ":"), ensure_ascii=False)]
    except (ValueError, RecursionError):
        return [None, None]


def main():
    stdin = open(sys.stdin.fileno(), encoding="utf-8", newline="\n", closefd=False)
    for n, line in enumerate(stdin, 1):
        try:
            doc = json.loads(line)
        except ValueError:
            doc = None
        if not isinstance(doc, str):
            sys.stderr.write("pyjson_oracle: line %d is not a JSON string literal\n" % n)
            sys.exit(2)
        # the outer dumps escapes everything outside ASCII (lone surrogates too): one line each
        sys.stdout.write(json.dumps(reserialize(doc)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
