"""A stand-in for the example apps, for README blocks that send them a request: answers
POST /port/actions as they do (200 with the names of the decrypted secret inputs, or the helpers'
401 / 400 / 413), GET /healthz 200, and appends {"status": N} per POST to $READMETEST_LOG. It opens
the run with the installed port_secret (Decryptor.open_webhook: signature, JSON, every secret
input), so a request the block signs or sends wrongly is refused. The apps themselves are tested
end to end by scripts/test-examples.sh and scripts/test-adapters-*.sh."""

import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from port_secret import Decryptor, PortSecretError

decryptor = Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"],
                      private_key=open(os.environ["READMETEST_PRIVATE_KEY"]).read())
log = os.environ["READMETEST_LOG"]


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.answer(200 if self.path == "/healthz" else 404, {"ok": self.path == "/healthz"})

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.path != "/port/actions":
            status, body = 404, {"error": "not_found"}
        else:
            try:
                run = decryptor.open_webhook(raw, list(self.headers.items()))
                status, body = 200, {"run": run["context"]["runId"], "secret_inputs": sorted(run["payload"]["properties"])}
            except PortSecretError as err:
                status = 401 if err.code in ("invalid_signature", "expired") else 400
                body = {"error": err.code, **({"input": err.input} if err.input else {})}
        with open(log, "a") as f:
            f.write(json.dumps({"status": status, **body}) + "\n")
        self.answer(status, body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(os.environ["READMETEST_PORT"])), Handler).serve_forever()
