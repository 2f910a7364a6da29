"""Cross-path runner, CLI: every shared vector the `port-secret` command can take, through
`decrypt` (and `decrypt --json`), `verify` and `decrypt-payload`, one JSON line per call (see
compare.py for the format). Stdlib only.

  python3 cli_runner.py <port-secret binary> <tests/vectors dir> <out.jsonl>

The code of a call is what the command documents: exit 0 is success; exit 1 with stderr
`error: <code>: <reason>` (and ` (input "<name>")`) is that code; exit 2 is `usage`.

The command has no clock option: tests that carry `now` (fernet with ttl, signatures, runs) run
under libfaketime with the clock frozen at `now` (LIBFAKETIME names the library; the runner
first checks that the command really sees that time). Tests the command cannot take as they are
written are reported as skips with the reason: a value with white space around it (the command
trims it, as documented), a client secret it would trim or refuse as empty, a NUL in an
argument, run options it has no flag for, webhook headers it cannot express (it takes one
--signature and one --timestamp, and verifies only when given them).
"""

from __future__ import annotations

import base64
import concurrent.futures
import datetime
import hashlib
import hmac
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
from typing import Any, Optional

LANG = "cli"
FORMAT_DIRS = ("aes256_gcm", "client_side", "fernet", "signature", "properties", "runs")
# Rust's char::is_whitespace (Unicode White_Space), what str::trim removes.
UNICODE_WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
ASCII_WS = " \t\n\x0c\r"  # u8::is_ascii_whitespace, what the command trims from a value
RUN_FLAGS = {"tolerance", "verifySignature", "userInputs", "propertiesPointer"}


class Cli:
    def __init__(self, binary: str, root: pathlib.Path, work: pathlib.Path) -> None:
        self.binary = binary
        self.root = root
        self.work = work
        self.faketime = os.environ.get("LIBFAKETIME", "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
        self.n = 0

    def file(self, data: bytes) -> str:
        self.n += 1
        path = self.work / f"f{self.n}"
        path.write_bytes(data)
        return str(path)

    def env(self, now: Optional[int]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PORT_CLIENT_SECRET", "LD_PRELOAD", "FAKETIME")}
        if now is not None:
            when = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
            env.update(LD_PRELOAD=self.faketime, FAKETIME=when.strftime("%Y-%m-%d %H:%M:%S"), TZ="UTC",
                       FAKETIME_DONT_FAKE_MONOTONIC="1")
        return env

    def run(self, args: list[str], stdin: bytes, now: Optional[int] = None) -> tuple[int, bytes, str]:
        p = subprocess.run([self.binary, *args], input=stdin, capture_output=True, env=self.env(now), timeout=60)
        return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def parse_error(status: int, stderr: str) -> tuple[str, Optional[str]]:
    if status == 2:
        return "usage", None
    line = next((x for x in stderr.splitlines() if x.startswith("error: ")), "")
    m = re.match(r"error: ([a-z0-9_]+)(?::| \(input)", line)
    if not m:
        return f"exception:exit-{status}", None
    code = m.group(1)
    if code == "io":
        return "exception:io", None
    name = None
    m2 = re.search(r' \(input "((?:[^"\\]|\\.)*)"\)(?::|$)', line)
    if m2:
        # Rust's Debug escapes: \" \\ \n \r \t \0 \u{XXXX}.
        raw = re.sub(r"\\u\{([0-9a-f]+)\}", lambda x: "\\u%04x" % int(x.group(1), 16) if int(x.group(1), 16) < 0x10000 else chr(int(x.group(1), 16)), m2.group(1))
        name = json.loads('"' + raw.replace("\\0", "\\u0000").replace("\\'", "'") + '"')
    return code, name


def secret_problem(secret: str) -> Optional[str]:
    if secret.strip(UNICODE_WS) != secret or not secret:
        return "the CLI trims the client secret and refuses an empty one"
    return None


def json_applies(t: dict[str, Any]) -> bool:
    return t["result"] == "invalid" or "JsonObject" in t["flags"]


def same_json(a: Any, b: Any) -> bool:
    return json.dumps(a) == json.dumps(b)


class Runner:
    def __init__(self, cli: Cli) -> None:
        self.cli = cli
        self.jobs: list[tuple[str, str, str, list[str], bytes, Optional[int], Any]] = []
        self.skips: list[str] = []

    def job(self, vid: str, path: str, kind: str, args: list[str], stdin: bytes, now: Optional[int], check: Any) -> None:
        self.jobs.append((vid, path, kind, args, stdin, now, check))

    def skip(self, vid: str, reason: str) -> None:
        self.skips.append(json.dumps({"vector": vid, "path": f"{LANG}:*", "skip": reason}))

    def key(self, name: str) -> str:
        return str(self.cli.root / "keys" / name)

    def decrypt(self, vid: str, t: dict[str, Any], encryption: str, value: str, extra: list[str], secret: Optional[str], now: Optional[int]) -> None:
        if value.strip(ASCII_WS) != value:
            return self.skip(vid, "the CLI trims white space around the value (documented)")
        pre: list[str] = []
        if secret is not None:
            problem = secret_problem(secret)
            if problem:
                return self.skip(vid, problem)
            pre = ["--client-secret-file", self.cli.file(secret.encode())]
        want = bytes.fromhex(t["plaintextHex"]) if "plaintextHex" in t else None
        args = [*pre, "decrypt", "--encryption", encryption, *extra]
        self.job(vid, f"decrypt --encryption {encryption}", "bytes", args, value.encode(), now, lambda out: out == want)
        if json_applies(t):
            text = t.get("plaintext")

            def is_json(out: bytes) -> bool:
                return text is not None and same_json(json.loads(out), json.loads(text))

            self.job(vid, f"decrypt --encryption {encryption} --json", "json", [*args, "--json"], value.encode(), now, is_json)

    def aes256_gcm(self, vid: str, t: dict[str, Any]) -> None:
        self.decrypt(vid, t, "aes256-gcm", t["value"], [], t["clientSecret"], None)

    def client_side(self, vid: str, t: dict[str, Any]) -> None:
        self.decrypt(vid, t, "client-side", t["value"], ["--private-key", self.key(t["privateKey"])], None, None)

    def fernet(self, vid: str, t: dict[str, Any]) -> None:
        extra = ["--ttl", str(t["ttl"])] if "ttl" in t else []
        self.decrypt(vid, t, "fernet", t["token"], extra, t["clientSecret"], t.get("now"))

    def signature(self, vid: str, t: dict[str, Any]) -> None:
        problem = secret_problem(t["clientSecret"])
        if problem:
            return self.skip(vid, problem)
        if "\0" in t["signature"] or "\0" in t["timestamp"]:
            return self.skip(vid, "NUL in a command-line argument")
        args = ["--client-secret-file", self.cli.file(t["clientSecret"].encode()), "verify",
                f"--signature={t['signature']}", f"--timestamp={t['timestamp']}", f"--tolerance={t['tolerance']}"]
        self.job(vid, "verify", "verify", args, t["body"].encode(), t["now"], lambda out: True)

    def properties(self, vid: str, t: dict[str, Any]) -> None:
        raise AssertionError("not covered by the CLI")

    def run(self, vid: str, t: dict[str, Any]) -> None:
        o = t["options"]
        extra = set(o) - RUN_FLAGS
        if extra:
            return self.skip(vid, "a run option the CLI has no flag for")
        problem = secret_problem(t["clientSecret"])
        if problem:
            return self.skip(vid, problem)
        args = ["--client-secret-file", self.cli.file(t["clientSecret"].encode()), "decrypt-payload",
                f"--delivery={t['delivery']}"]
        if "privateKey" in t:
            args += ["--private-key", self.key(t["privateKey"])]
        if "userInputs" in o:
            ui = o["userInputs"]
            if isinstance(ui, dict) and ("userInputs" in ui or isinstance(ui.get("trigger"), dict)):
                return self.skip(vid, "userInputs the CLI would read as an action file")
            args += ["--action", self.cli.file(json.dumps(ui).encode())]
        if "propertiesPointer" in o:
            if "\0" in o["propertiesPointer"]:
                return self.skip(vid, "NUL in a command-line argument")
            args.append(f"--properties-pointer={o['propertiesPointer']}")
        if "tolerance" in o:
            args.append(f"--tolerance={o['tolerance']}")
        verify = o.get("verifySignature", True)
        if t["delivery"] == "kafka":
            if not verify:
                args.append("--no-verify")
        elif verify:
            sigs = [v for n, v in t["headers"] if n.lower() == "x-port-signature"]
            tss = [v for n, v in t["headers"] if n.lower() == "x-port-timestamp"]
            if len(sigs) != 1 or len(tss) != 1:
                return self.skip(vid, "webhook headers the CLI cannot take (one --signature, one --timestamp)")
            if "\0" in sigs[0] or "\0" in tss[0]:
                return self.skip(vid, "NUL in a command-line argument")
            args += [f"--signature={sigs[0]}", f"--timestamp={tss[0]}"]
        body = bytes.fromhex(t["bodyHex"]) if "bodyHex" in t else t["body"].encode("utf-8")
        want = t.get("expected")
        self.job(vid, "decrypt-payload", "run", args, body, t["now"], lambda out: same_json(json.loads(out), want))

    def execute(self, vid_path_kind_args: tuple[str, str, str, list[str], bytes, Optional[int], Any]) -> str:
        vid, path, kind, args, stdin, now, check = vid_path_kind_args
        status, stdout, stderr = self.cli.run(args, stdin, now)
        name = None
        if status == 0:
            try:
                code = "ok" if check(stdout) else "wrong_output"
            except ValueError:
                code = "wrong_output"
        else:
            code, name = parse_error(status, stderr)
        return json.dumps({"vector": vid, "path": f"{LANG}:{path}", "kind": kind, "code": code, "input": name},
                          ensure_ascii=False)


def check_faketime(cli: Cli) -> None:
    """The command must see the frozen clock: `sign` without --timestamp signs "now"."""
    secret = "crosspath-faketime-check-0123456789abcdef"
    now = 1764583200
    status, out, err = cli.run(["--client-secret-file", cli.file(secret.encode()), "sign"], b"{}", now)
    mac = hmac.new(secret.encode(), f"{now}.{{}}".encode(), hashlib.sha256).digest()
    if status != 0 or out.decode().strip() != "v1," + base64.b64encode(mac).decode():
        raise SystemExit(f"cli: the command does not run at the faked time (LIBFAKETIME={cli.faketime}): {err.strip()}")


def main() -> int:
    binary, root, out = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    with tempfile.TemporaryDirectory(prefix="crosspath-cli-") as work:
        cli = Cli(binary, root, pathlib.Path(work))
        check_faketime(cli)
        r = Runner(cli)
        handlers = {"aes256-gcm": r.aes256_gcm, "client-side": r.client_side, "fernet": r.fernet,
                    "signature": r.signature, "run": r.run}
        files = [p for sub in FORMAT_DIRS for p in sorted((root / sub).glob("*_test.json"))]
        tests = 0
        for path in files:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc["schema"] != "port-secret-vectors/v1":
                raise SystemExit(f"{path}: unknown schema")
            if doc["format"] not in handlers:
                continue
            rel = path.relative_to(root).as_posix()
            for t in doc["tests"]:
                tests += 1
                handlers[doc["format"]](f"{rel}#{t['tcId']}", t)
        workers = int(os.environ.get("CROSSPATH_JOBS", "2"))
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            lines = list(pool.map(r.execute, r.jobs))
    out.write_text("".join(x + "\n" for x in [*lines, *r.skips]), encoding="utf-8")
    print(f"cli ({binary}): {tests} tests, {len(lines)} checks, {len(r.skips)} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
