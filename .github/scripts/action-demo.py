#!/usr/bin/env python3
"""The GitHub Action on the demo run (examples/demo: public DEMO keys and values), for the
release workflow's action-test job on every runner:

    python .github/scripts/action-demo.py inputs >> "$GITHUB_OUTPUT"   # the action's inputs
    OUTPUTS='${{ toJSON(steps.port.outputs) }}' python .github/scripts/action-demo.py check

`check` compares every decrypted output with examples/demo/expected.json and the port-context
outputs with the body's context; it prints `action demo: N passed, M failed`.
"""

import json
import os
import sys
import uuid
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def inputs() -> None:
    body = json.loads((DEMO / "body.json").read_text(encoding="utf-8"))
    values = {
        "client-secret": (DEMO / "client_secret.txt").read_text(encoding="utf-8").strip(),
        "private-key": (DEMO / "private_key.pem").read_text(encoding="utf-8"),
        "values": json.dumps(body["payload"]["properties"]),
        "user-inputs": (DEMO / "action.json").read_text(encoding="utf-8"),
        "port-context": json.dumps(body["context"]),
    }
    for name, value in values.items():
        delimiter = f"EOF_{uuid.uuid4().hex}"
        sys.stdout.write(f"{name}<<{delimiter}\n{value.rstrip(chr(10))}\n{delimiter}\n")


def check() -> int:
    outputs = json.loads(os.environ["OUTPUTS"])
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))["payload"]["properties"]
    action = json.loads((DEMO / "action.json").read_text(encoding="utf-8"))
    secret = [k for k, v in action["trigger"]["userInputs"]["properties"].items() if v.get("encryption")]
    context = json.loads((DEMO / "body.json").read_text(encoding="utf-8"))["context"]
    checks = {f"output {name}": (name, expected[name]) for name in secret}
    checks["output run-id"] = ("run-id", context["runId"])
    checks["output blueprint"] = ("blueprint", context["blueprint"])
    checks["output entity-identifier"] = ("entity-identifier", context["entity"])
    failed = 0
    for label, (name, want) in checks.items():
        got = outputs.get(name)
        if isinstance(want, (dict, list)) and got is not None:
            got = json.loads(got)
        if got != want:
            failed += 1
            print(f"FAIL {label}: {'missing' if got is None else 'differs'}")  # never the value
    print(f"action demo: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(inputs() if sys.argv[1:] == ["inputs"] else check())
