# Epilogue of README.md "AWS Lambda" (Python): the block's `webhook` gets a function URL event with
# the demo run signed now (200), and a tampered one (401, the handler not called). The block's
# Decryptor has no private key: the run is the demo run without its client-side input.
import base64 as _b64
import json as _json
import time as _time

import port_secret as _ps

_body = _json.load(open("body.json"))
del _body["payload"]["properties"]["vendor_api_key"]
_raw = _json.dumps(_body).encode()
_ts = str(int(_time.time()))
_sig = _ps.sign_payload(_raw, _ts, os.environ["PORT_CLIENT_SECRET"])


def _event(body: bytes) -> dict:  # a Lambda function URL (payload 2.0) event
    return {"version": "2.0", "rawPath": "/", "headers": {"x-port-signature": _sig, "x-port-timestamp": _ts,
            "content-type": "application/json"}, "requestContext": {"http": {"method": "POST", "path": "/"}},
            "body": _b64.b64encode(body).decode(), "isBase64Encoded": True}


_ok = webhook(_event(_raw), None)
assert _ok["statusCode"] == 200 and _json.loads(_ok["body"]) == {"ok": True}, _ok
_refused = webhook(_event(_raw + b" "), None)
assert _refused["statusCode"] == 401, _refused
print("lambda webhook: 200 signed, 401 tampered")
