#!/usr/bin/env python3
"""The `port-secret` command against the docs' own decrypt code, both directions:
- what the CLI encrypts is decrypted by the docs' Python (pycryptodome, pyca Fernet) and Node
  (node:crypto) code;
- what pycryptodome, pyca Fernet and WebCrypto encrypt is decrypted by the CLI.

    python3 tests/crosscheck/cli_crosscheck.py [path/to/port-secret]
"""
import base64
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import docs_reference as ref  # noqa: E402

CLI = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "port-secret")
SECRET = "crosscheck-client-secret-0123456789abcdefghijklmnopq"
KEYS = os.path.join(ROOT, "tests", "vectors", "keys")
PLAINTEXTS = [b"hunter2", b"", b"a", b"x" * 1027, "ünïcødé 🔑 秘密".encode(), b"line1\nline2\r\n",
              json.dumps({"user": "admin", "password": "p@ss"}).encode()]

passed = failed = 0


def check(name, cond):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name}")


def cli(args, stdin: bytes, secret=SECRET):
    env = dict(os.environ, PORT_CLIENT_SECRET=secret)
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, env=env)


def node(cases):
    out = subprocess.run(["node", os.path.join(HERE, "docs_reference.mjs")],
                         input=json.dumps(cases).encode(), capture_output=True, check=True)
    return json.loads(out.stdout)


def main():
    pub = {b: open(os.path.join(KEYS, f"rsa{b}_public.pem")).read() for b in (2048, 3072, 4096)}
    priv = {b: open(os.path.join(KEYS, f"rsa{b}_pkcs8.pem")).read() for b in (2048, 3072, 4096)}

    # 1. CLI encrypts -> docs' Python and Node code decrypt.
    node_cases, expect = [], []
    for pt in PLAINTEXTS:
        v = cli(["encrypt", "--encryption", "aes256-gcm"], pt).stdout.decode().strip()
        check("pycryptodome reads CLI aes256-gcm", ref.decrypt_aes256_gcm(v, SECRET) == pt)
        node_cases.append({"op": "decrypt-aes256-gcm", "value": v, "clientSecret": SECRET})
        expect.append(pt)
        t = cli(["encrypt", "--encryption", "fernet"], pt).stdout.decode().strip()
        check("pyca Fernet reads CLI fernet", ref.decrypt_fernet(t, SECRET) == pt)
        for bits in (2048, 3072, 4096):
            pubfile = os.path.join(KEYS, f"rsa{bits}_public.pem")
            c = cli(["encrypt", "--encryption", "client-side", "--public-key", pubfile], pt).stdout.decode().strip()
            check(f"pycryptodome reads CLI client-side {bits}", ref.decrypt_client_side(c, priv[bits].encode()) == pt)
            node_cases.append({"op": "decrypt-client-side", "value": c, "privateKeyPem": priv[bits]})
            expect.append(pt)
    for res, pt in zip(node(node_cases), expect):
        check(f"node:crypto reads CLI value ({res.get('error')})", base64.b64decode(res.get("ok", "!")) == pt)

    # 2. pycryptodome / pyca / WebCrypto encrypt -> CLI decrypts.
    web_cases = []
    for pt in PLAINTEXTS:
        v = ref.encrypt_aes256_gcm(pt, SECRET)
        check("CLI reads pycryptodome aes256-gcm", cli(["decrypt", "--encryption", "aes256-gcm"], v.encode()).stdout == pt)
        t = ref.encrypt_fernet(pt, SECRET)
        check("CLI reads pyca fernet", cli(["decrypt", "--encryption", "fernet"], t.encode()).stdout == pt)
        for bits in (2048, 3072, 4096):
            c = ref.encrypt_client_side(pt, pub[bits].encode())
            keyfile = os.path.join(KEYS, f"rsa{bits}_pkcs1.pem")
            out = cli(["decrypt", "--encryption", "client-side", "--private-key", keyfile], c.encode())
            check(f"CLI reads pycryptodome client-side {bits}", out.stdout == pt)
            web_cases.append(({"op": "webcrypto-encrypt", "plaintextB64": base64.b64encode(pt).decode(),
                               "publicKeyPem": pub[bits]}, bits, pt))
    results = node([c for c, _, _ in web_cases])
    for res, (_, bits, pt) in zip(results, web_cases):
        keyfile = os.path.join(KEYS, f"rsa{bits}_pkcs8.pem")
        out = cli(["decrypt", "--encryption", "client-side", "--private-key", keyfile], res["ok"].encode())
        check(f"CLI reads WebCrypto client-side {bits}", out.returncode == 0 and out.stdout == pt)

    # 3. What the docs' code would do wrong, the CLI refuses with a code.
    v = ref.encrypt_aes256_gcm(b"hunter2", SECRET)
    bad = cli(["decrypt", "--encryption", "aes256-gcm"], (v[:-6] + "AAAA==").encode())
    check("CLI rejects tampered tag", bad.returncode == 1 and b"authentication_failed" in bad.stderr)

    print(f"cli crosscheck: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
