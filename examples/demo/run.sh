#!/usr/bin/env bash
# The main job on shipped demo data: decrypt every secret input of a Port webhook body.
# Everything in this folder is DEMO ONLY: the client secret and the key pair are public.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
cargo build --quiet --locked -p port-secret-cli
PORT_CLIENT_SECRET="$(cat "$here/client_secret.txt")" \
  target/debug/port-secret decrypt-payload \
    --action "$here/action.json" \
    --private-key "$here/private_key.pem" \
    < "$here/body.json"
