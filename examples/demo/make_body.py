#!/usr/bin/env python3
"""Regenerates body.json: a webhook body in the shape Port sends for a run of action.json, with
its secret inputs encrypted as Port does (aes256-gcm by the server, client-side by the browser),
using the `port-secret` CLI and the DEMO-ONLY keys in this folder.

    cargo build -p port-secret-cli && python3 examples/demo/make_body.py
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLI = os.environ.get("PORT_SECRET_BIN", os.path.join(ROOT, "target", "debug", "port-secret"))


def encrypt(plaintext: str, encryption: str) -> str:
    args = [CLI, "--client-secret-file", os.path.join(HERE, "client_secret.txt"), "encrypt",
            "--encryption", encryption]
    if encryption == "client-side":
        args += ["--public-key", os.path.join(HERE, "public_key.pem")]
    out = subprocess.run(args, input=plaintext.encode(), capture_output=True, check=True)
    return out.stdout.decode().strip()


def main() -> None:
    with open(os.path.join(HERE, "action.json")) as f:
        action = json.load(f)
    certificate = (
        "-----BEGIN CERTIFICATE-----\n"
        "MIIBszCCAVmgAwIBAgIUDEMOONLYDEMOONLYDEMOONLYDEMOwCgYIKoZIzj0EAwIw\n"
        "FzEVMBMGA1UEAwwMZGVtby5leGFtcGxlMB4XDTI2MDEwMTAwMDAwMFoXDTI3MDEw\n"
        "-----END CERTIFICATE-----\n"
    )
    plaintext = {
        "db_password": "correct horse battery staple (demo)",
        "db_connection": json.dumps({"host": "db.internal", "port": 5432, "user": "app", "sslmode": "require"}),
        "tls_certificate": certificate,
        "vendor_api_key": "sk_demo_4eC39HqLyjWDarjtT1zdp7dc",
    }
    properties = {
        "db_password": encrypt(plaintext["db_password"], "aes256-gcm"),
        "db_connection": encrypt(plaintext["db_connection"], "aes256-gcm"),
        "tls_certificate": encrypt(plaintext["tls_certificate"], "aes256-gcm"),
        "vendor_api_key": encrypt(plaintext["vendor_api_key"], "client-side"),
        "reason": "quarterly rotation",
    }
    body = {
        "action": action["identifier"],
        "resourceType": "run",
        "status": "TRIGGERED",
        "trigger": {
            "by": {"orgId": "org_DEMO", "userId": "auth0|demo-user", "user": {"email": "demo@example.com"}},
            "origin": "UI",
            "at": "2026-11-24T09:30:00.000Z",
        },
        "context": {"entity": "checkout-service", "blueprint": "service", "runId": "r_DEMO0001"},
        "payload": {
            "entity": {"identifier": "checkout-service", "title": "Checkout service", "blueprint": "service",
                       "properties": {"language": "python"}, "relations": {}},
            "action": {
                "identifier": action["identifier"],
                "title": action["title"],
                "userInputs": action["trigger"]["userInputs"],
                "invocationMethod": action["invocationMethod"],
                "trigger": "DAY-2",
            },
            "properties": properties,
            "censoredProperties": ["db_password", "db_connection", "tls_certificate", "vendor_api_key"],
        },
    }
    with open(os.path.join(HERE, "body.json"), "w") as f:
        f.write(json.dumps(body, indent=2) + "\n")
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        decrypted = json.loads(json.dumps(body))
        decrypted["payload"]["properties"].update(plaintext)
        decrypted["payload"]["properties"]["db_connection"] = json.loads(plaintext["db_connection"])
        f.write(json.dumps(decrypted, indent=2) + "\n")
    print("wrote body.json and expected.json", file=sys.stderr)


if __name__ == "__main__":
    main()
