# Prelude of python/README.md: what a web framework hands over, the demo run signed now.
import time as _time

import port_secret as _ps

raw_body = open("body.json", "rb").read()
_ts = str(int(_time.time()))
request_headers = [("x-port-signature", _ps.sign_payload(raw_body, _ts, open("client_secret.txt").read().strip())),
                   ("x-port-timestamp", _ts)]
