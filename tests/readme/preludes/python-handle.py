# Epilogue of README.md "Python": calls the block's `handle` with the demo run signed now (200),
# then with a tampered body (401) and unsigned (401).
import json as _json
import time as _time

import port_secret as _ps

_raw = open("body.json", "rb").read()
_ts = str(int(_time.time()))
_headers = {"X-Port-Signature": _ps.sign_payload(_raw, _ts, os.environ["PORT_CLIENT_SECRET"]), "X-Port-Timestamp": _ts}
assert handle(_raw, _headers) == {"status": 200}, handle(_raw, _headers)
assert handle(_raw + b" ", _headers) == {"status": 401, "error": "invalid_signature"}
assert handle(_raw, {})["status"] == 401
print("handle: 200 signed, 401 tampered, 401 unsigned")
