"""Three Flask routes on one signed Port run (bench/helpers/run.sh): what a backend's whole
request costs with port-secret's helper, with no crypto at all, and with the docs' snippet.

- /helper: `@port_webhook(decryptor)`: signature, parse, definitions, three decryptions;
- /bare:   `json.loads` of the raw body only (the floor: no signature check, no decryption);
- /docs:   the decrypt code of Port's docs page, as users copy it: pycryptodome AES-GCM per
           secret input (key = first 32 characters of the client secret), no signature check.
Each answers {"ok": true}.
"""

import base64
import json
import os

from Crypto.Cipher import AES
from flask import Flask, request

from port_secret import Decryptor
from port_secret.flask import port_webhook

SECRET = os.environ["PORT_CLIENT_SECRET"]
decryptor = Decryptor(client_secret=SECRET)
app = Flask(__name__)


@app.post("/helper")
@port_webhook(decryptor)
def helper(run):
    assert run["payload"]["properties"]["db_connection"]["port"] == 5432
    return {"ok": True}


@app.post("/bare")
def bare():
    body = json.loads(request.get_data())
    assert body["payload"]["properties"]
    return {"ok": True}


@app.post("/docs")
def docs():
    body = request.get_json()
    key = SECRET[:32].encode()
    definitions = body["payload"]["action"]["userInputs"]["properties"]
    properties = body["payload"]["properties"]
    for name, definition in definitions.items():
        if "encryption" not in definition:
            continue
        data = base64.b64decode(properties[name])
        cipher = AES.new(key, AES.MODE_GCM, nonce=data[:16])
        text = cipher.decrypt_and_verify(data[16:-16], data[-16:]).decode()
        properties[name] = json.loads(text) if definition.get("type") == "object" else text
    assert properties["db_connection"]["port"] == 5432
    return {"ok": True}
