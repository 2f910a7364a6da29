#!/usr/bin/env python3
"""Every fenced code block of the READMEs, run as written (or checked, or skipped with a reason).

Run by scripts/test-readme.sh, which builds the artifacts first and passes them in:
  README_TEST_BIN    a directory holding `port-secret` (target/release)
  README_TEST_LIB    the directory of libport_secret.so (target/release)
  README_TEST_PYTHON a Python (venv) with the port-secret wheel and PyYAML installed
  README_TEST_NODE   a directory whose node_modules holds the packed port-secret tarball
  README_TEST_WORK   a scratch directory (target/readme)
  python3 tests/readme/run.py [FILE.md ...] [--only SUBSTRING]

The files: README.md, examples/*/README.md, python/README.md, node/README.md (all of them unless
given). Each fenced block is classified by its language and by the marker on the line before it
(an HTML comment, invisible on GitHub; blank lines between them are allowed):

  <!-- readme-test: run [prelude=NAME] [epilogue=NAME] [cwd=here|root|scratch|demo] [server=NAME:PORT] [cleanup=A,B] -->
  <!-- readme-test: check[ key=value ...]: why it can only be checked -->
  <!-- readme-test: skip: why it cannot run here -->

No marker means `run` with no prelude (json and yaml blocks: parsed, which is all data can be).
  run    sh: bash with `set -euo pipefail`, `port-secret` first on the PATH, PORT_CLIENT_SECRET set
         to the demo secret; cwd `here` (the README's directory, the default), `root` (the
         checkout's root, for a README that says to run a block from there), `scratch` (a temp
         dir with a symlink to every entry of the README's directory, so files it writes stay
         out of the checkout) or `demo` (a temp dir holding the demo files). `server=NAME:PORT`
         starts tests/readme/servers/NAME.py on PORT first and requires that every request it
         got was answered 200. `cleanup=` lists files the block writes in `here` (removed after).
         python: the venv's Python, in a temp dir with the demo files (client_secret.txt,
         private_key.pem, public_key.pem, body.json, action.json), PORT_CLIENT_SECRET set.
         js: node, same temp dir, port-secret installed from the tarball; `.mjs` when the block
         uses import/export, else `.cjs`. rust: a crate depending on crates/port-secret-core by
         path (and serde_json), built in the workspace's target dir and run: a block with
         `fn main` is main.rs; any other is followed by an epilogue whose main calls it.
         c: compiled with -std=c11 -Wall -Wextra -Werror against include/ and libport_secret.so
         (rpath), then run. json/yaml: parsed.
  check  syntax and names only: sh `bash -n`; python compile() plus every name imported from
         port_secret must exist in the installed package; js `node --check` plus every name
         taken from a port-secret module must be exported by it; rust/c: compiled, not run;
         go: `gofmt -e`; java: `javac` (a block declaring a class). A reason is required.
  skip   not run, with the reason (required).

Preludes and epilogues are files in tests/readme/preludes/ (NAME plus the language's extension:
.sh .py .js .mjs .rs .c). A prelude holding the line `@@BLOCK@@` is a template: the block goes
there (and no epilogue applies); otherwise the prelude goes before the block and the epilogue after.

Beyond running blocks, three rules hold over the whole text of each file:
  - `pip install port-secret` / `npm install port-secret` (the registry names) appear only in a
    paragraph that says the package is not published yet;
  - no block calls the CLI by a build path (`target/debug/port-secret`, `target/release/...`):
    readers have `port-secret` on the PATH (`cargo install --path crates/port-secret-cli`);
  - an ES module block (import/export) does not call `require`.
The Python docstring examples (`>>>`) of the installed package are run with doctest.
Prints one line per block and the counts; exits 1 on any failure.
"""

from __future__ import annotations

import ast
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PRELUDES = HERE / "preludes"
SERVERS = HERE / "servers"
DEMO = ROOT / "examples" / "demo"
DEMO_FILES = ["client_secret.txt", "private_key.pem", "public_key.pem", "body.json", "action.json", "expected.json"]
TIMEOUT = 120

LANGS = {
    "sh": "sh", "bash": "sh", "shell": "sh", "console": "sh",
    "python": "python", "py": "python",
    "js": "js", "javascript": "js", "mjs": "js", "cjs": "js",
    "rust": "rust", "rs": "rust",
    "c": "c", "h": "c",
    "yaml": "yaml", "yml": "yaml",
    "json": "json",
    "go": "go", "golang": "go",
    "java": "java",
    "": "text", "text": "text", "txt": "text",
}
EXT = {"sh": ".sh", "python": ".py", "js": ".js", "rust": ".rs", "c": ".c", "go": ".go", "java": ".java"}


def env_path(name: str, default: Path | None = None) -> Path:
    value = os.environ.get(name)
    if value:
        return Path(os.path.abspath(value))  # not resolved: a venv's python is a symlink
    if default is None:
        sys.exit(f"{name} is not set: run this through scripts/test-readme.sh")
    return default


BIN = env_path("README_TEST_BIN", ROOT / "target" / "release")
LIB = env_path("README_TEST_LIB", ROOT / "target" / "release")
PYTHON = str(env_path("README_TEST_PYTHON"))
NODE_DIR = env_path("README_TEST_NODE")
WORK = env_path("README_TEST_WORK", ROOT / "target" / "readme")
CLIENT_SECRET = (DEMO / "client_secret.txt").read_text().strip()


@dataclass
class Block:
    file: Path
    line: int  # 1-based line of the opening fence
    lang: str
    info: str
    code: str
    mode: str = "run"
    reason: str = ""
    opts: dict = field(default_factory=dict)
    marked: bool = False

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}"


class Failure(Exception):
    pass


MARKER = re.compile(r"<!--\s*readme-test:\s*(.*?)\s*-->", re.S)
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")


def parse_marker(text: str) -> tuple[str, dict, str]:
    # MODE [key=value ...][: reason]: the reason starts at the first colon followed by a space.
    m = re.search(r":(\s|$)", text)
    head, reason = (text[: m.start()], text[m.end():]) if m else (text, "")
    words = head.split()
    if not words or words[0] not in ("run", "check", "skip"):
        raise Failure(f"bad readme-test marker {text!r}: starts with run, check or skip")
    opts = {}
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if not eq or key not in ("prelude", "epilogue", "cwd", "server", "cleanup"):
            raise Failure(f"bad readme-test option {word!r} in {text!r}")
        opts[key] = value
    reason = " ".join(reason.split())
    if words[0] in ("check", "skip") and not reason:
        raise Failure(f"readme-test {words[0]} needs a reason after a colon: {text!r}")
    return words[0], opts, reason


def parse(path: Path) -> list[Block]:
    lines = path.read_text().splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3).strip()
        start = i
        body = []
        i += 1
        while i < len(lines) and not (lines[i].strip().startswith(fence) and lines[i].strip().strip(fence[0]) == ""):
            line = lines[i]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            i += 1
        if i >= len(lines):
            raise Failure(f"{path}:{start + 1}: unclosed code fence")
        i += 1
        lang_word = info.split()[0].lower() if info else ""
        lang = LANGS.get(lang_word, "unknown:" + lang_word)
        block = Block(path, start + 1, lang, info, "\n".join(body) + "\n")
        # The marker: the nearest non-blank line(s) above the fence, ending in `-->`.
        j = start - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0 and lines[j].rstrip().endswith("-->"):
            k = j
            while k >= 0 and "<!--" not in lines[k]:
                k -= 1
            comment = "\n".join(lines[k:j + 1])
            mm = MARKER.search(comment)
            if mm:
                block.mode, block.opts, block.reason = parse_marker(mm.group(1))
                block.marked = True
        blocks.append(block)
    return blocks


# ---------------------------------------------------------------------------------------------
# Rules over the whole text.

PUBLISHED = re.compile(r"\b(pip|npm) install (port-secret|port_secret)(?![-\w./])")


def lint_text(path: Path, blocks: list[Block]) -> list[str]:
    problems = []
    text = path.read_text()
    for para in re.split(r"\n\s*\n", text):
        if PUBLISHED.search(para) and not re.search(r"once\s+(it\s+is\s+|they\s+are\s+)?published|not\s+(yet\s+)?published|not\s+on\s+(npm|PyPI)\s+yet", para, re.I):
            line = text[: text.index(para)].count("\n") + 1
            problems.append(f"{path.relative_to(ROOT)}:{line}: `{PUBLISHED.search(para).group(0)}` "
                            "names a registry package that is not published: say how to install today "
                            "and that this is the name once published")
    for b in blocks:
        if re.search(r"target/(debug|release)/port-secret\b", b.code):
            problems.append(f"{b.where}: calls the CLI by a build path; readers have `port-secret` "
                            "on the PATH (`cargo install --path crates/port-secret-cli --locked`)")
        if b.lang == "js" and is_esm(b.code) and re.search(r"\brequire\s*\(", b.code):
            problems.append(f"{b.where}: an ES module (import/export) that calls require()")
    return problems


def is_esm(code: str) -> bool:
    return bool(re.search(r"^\s*(import\s[^(]|import\{|export\s)", code, re.M))


# ---------------------------------------------------------------------------------------------
# Helpers.


def sh(cmd, cwd=None, env=None, timeout=TIMEOUT, input=None) -> subprocess.CompletedProcess:
    """Runs cmd in its own process group; on a timeout the whole group is killed (a block that
    starts a server must not leave it running)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise Failure(f"timed out after {timeout}s (a server? mark the block check or skip): {cmd}\n"
                      f"{out[-2000:]}{err[-2000:]}")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything the block left in the background
        except ProcessLookupError:
            pass
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def must(p: subprocess.CompletedProcess, what: str) -> subprocess.CompletedProcess:
    if p.returncode != 0:
        out = (p.stdout[-3000:] + "\n" + p.stderr[-3000:]).strip()
        raise Failure(f"{what} exited {p.returncode}:\n{out}")
    return p


def base_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    env["PORT_CLIENT_SECRET"] = CLIENT_SECRET
    env.pop("PORT_PRIVATE_KEY_FILE", None)
    env.pop("LD_LIBRARY_PATH", None)  # a program must find libport_secret.so by its rpath
    env["READMETEST_DEMO"] = str(DEMO)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def demo_dir() -> Path:
    d = Path(tempfile.mkdtemp(prefix="readme-", dir=WORK / "tmp"))
    for name in DEMO_FILES:
        shutil.copy(DEMO / name, d / name)
    return d


def scratch_dir(of: Path) -> Path:
    d = Path(tempfile.mkdtemp(prefix="readme-", dir=WORK / "tmp"))
    for entry in of.iterdir():
        if entry.name in (".git",):
            continue
        (d / entry.name).symlink_to(entry)
    return d


def compose(block: Block, ext: str) -> str:
    """The program: the block inside its prelude template, or prelude + block + epilogue."""
    parts = []
    prelude = block.opts.get("prelude")
    if prelude:
        text = prelude_text(prelude, ext)
        if "@@BLOCK@@" in text:
            return text.replace("@@BLOCK@@", block.code.rstrip("\n"))
        parts.append(text)
    parts.append(block.code)
    epilogue = block.opts.get("epilogue")
    if epilogue:
        parts.append(prelude_text(epilogue, ext))
    return "\n".join(parts)


def prelude_text(name: str, ext: str) -> str:
    for candidate in (PRELUDES / f"{name}{ext}", PRELUDES / name):
        if candidate.is_file():
            return candidate.read_text()
    raise Failure(f"no prelude {name}{ext} in {PRELUDES.relative_to(ROOT)}")


# ---------------------------------------------------------------------------------------------
# Servers for blocks that send a request (server=NAME:PORT).


class Server:
    def __init__(self, spec: str):
        name, _, port = spec.partition(":")
        script = SERVERS / f"{name}.py"
        if not script.is_file() or not port.isdigit():
            raise Failure(f"server={spec}: want NAME:PORT with tests/readme/servers/NAME.py")
        self.port = int(port)
        self.log = Path(tempfile.mkstemp(prefix="server-", suffix=".jsonl", dir=WORK / "tmp")[1])
        env = base_env()
        env.update(READMETEST_PORT=port, READMETEST_LOG=str(self.log),
                   READMETEST_PRIVATE_KEY=str(DEMO / "private_key.pem"))
        self.proc = subprocess.Popen([PYTHON, str(script)], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, start_new_session=True)
        deadline = time.time() + 20
        while True:
            if self.proc.poll() is not None:
                raise Failure(f"server {name} exited: {self.proc.stdout.read()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    break
            except OSError:
                if time.time() > deadline:
                    self.stop()
                    raise Failure(f"server {name} did not answer on port {self.port}")
                time.sleep(0.1)

    def answers(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.strip()]

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# Runners: each returns a short note, or raises Failure.


def run_sh(b: Block) -> str:
    script = "set -euo pipefail\n" + compose(b, ".sh")
    if b.mode == "check":
        path = WORK / "tmp" / "check.sh"
        path.write_text(script)
        must(sh(["bash", "-n", str(path)]), "bash -n")
        return "bash -n"
    where = b.opts.get("cwd", "here")
    if where == "here":
        cwd = b.file.parent
    elif where == "root":
        cwd = ROOT
    elif where == "scratch":
        cwd = scratch_dir(b.file.parent)
    elif where == "demo":
        cwd = demo_dir()
    else:
        raise Failure(f"cwd={where}: want here, root, scratch or demo")
    server = Server(b.opts["server"]) if "server" in b.opts else None
    path = WORK / "tmp" / f"block-{os.getpid()}-{b.line}.sh"
    path.write_text(script)
    try:
        p = must(sh(["bash", str(path)], cwd=cwd, env=base_env()), "bash")
        note = f"bash in {where}"
        if server:
            answers = server.answers()
            if not answers:
                raise Failure(f"the block sent no request to the server on port {server.port}:\n{p.stdout[-2000:]}")
            bad = [a for a in answers if a.get("status") != 200]
            if bad:
                raise Failure(f"the server refused the block's request(s): {bad}\nstdout: {p.stdout[-2000:]}")
            note += f", {len(answers)} request(s) answered 200 by {b.opts['server']}"
        return note
    finally:
        if server:
            server.stop()
        path.unlink(missing_ok=True)
        for name in filter(None, b.opts.get("cleanup", "").split(",")):
            target = (cwd / name).resolve()
            if ROOT not in target.parents:
                raise Failure(f"cleanup={name} is outside the checkout")
            shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
        if where in ("scratch", "demo"):
            shutil.rmtree(cwd, ignore_errors=True)


PY_NAMES = """
import ast, importlib.util, json, sys
wanted = json.loads(sys.argv[1])
missing = []
for module, names in wanted.items():
    spec = importlib.util.find_spec(module)
    if spec is None:
        missing.append(module); continue
    defined = set()
    for origin in [spec.origin, spec.origin[:-3] + ".pyi" if spec.origin.endswith(".py") else None]:
        try:
            tree = ast.parse(open(origin).read())
        except (OSError, TypeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.alias):
                defined.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
    if spec.submodule_search_locations:
        import pkgutil
        defined |= {m.name for m in pkgutil.iter_modules(spec.submodule_search_locations)}
    missing += [f"{module}.{n}" for n in names if n not in defined]
print(json.dumps(missing))
"""


def run_python(b: Block) -> str:
    code = compose(b, ".py")
    if b.mode == "check":
        try:
            tree = ast.parse(code, filename=b.where)
        except SyntaxError as e:
            raise Failure(f"syntax error: {e}")
        wanted: dict[str, list[str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "port_secret":
                wanted.setdefault(node.module, []).extend(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "port_secret":
                        wanted.setdefault(a.name, [])
        p = must(sh([PYTHON, "-c", PY_NAMES, json.dumps(wanted)]), "name check")
        missing = json.loads(p.stdout)
        if missing:
            raise Failure(f"not in the installed port_secret: {', '.join(missing)}")
        n = sum(len(v) for v in wanted.values())
        return f"compiled; {n} name(s) from port_secret found"
    cwd = demo_dir()
    try:
        (cwd / "snippet.py").write_text(code)
        p = must(sh([PYTHON, "snippet.py"], cwd=cwd, env=base_env()), "python")
        return "python" + (f": {p.stdout.strip().splitlines()[-1]}" if p.stdout.strip() else "")
    finally:
        shutil.rmtree(cwd, ignore_errors=True)


JS_NAMES = """
const wanted = JSON.parse(process.argv[1])
const missing = []
for (const [spec, names] of Object.entries(wanted)) {
  let mod
  try { mod = require(spec) } catch (e) { missing.push(`${spec} (${e.code || e.message})`); continue }
  for (const name of names) if (name !== 'default' && !(name in mod)) missing.push(`${spec}.${name}`)
}
console.log(JSON.stringify(missing))
"""

JS_IMPORT = re.compile(
    r"(?:import\s+(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*|(?:const|let|var)\s+(?:\{([^}]*)\}|(\w+))\s*=\s*require\s*\(\s*)"
    r"['\"](port-secret(?:/[\w-]+)?)['\"]"
)
JS_INLINE = re.compile(r"require\s*\(\s*['\"](port-secret(?:/[\w-]+)?)['\"]\s*\)(?:\.(\w+))?")


def js_names(code: str) -> dict[str, list[str]]:
    wanted: dict[str, list[str]] = {}
    for m in JS_IMPORT.finditer(code):
        spec = m.group(5)
        names = wanted.setdefault(spec, [])
        for group in (m.group(2), m.group(3)):
            for part in (group or "").split(","):
                name = part.strip().split(" as ")[0].split(":")[0].strip()
                if name and name != "type" and not name.startswith("type "):
                    names.append(name)
    for m in JS_INLINE.finditer(code):
        wanted.setdefault(m.group(1), [])
        if m.group(2):
            wanted[m.group(1)].append(m.group(2))
    return wanted


def run_js(b: Block) -> str:
    code = compose(b, ".mjs" if is_esm(b.code) else ".js")
    ext = ".mjs" if is_esm(code) else ".cjs"
    cwd = demo_dir()
    try:
        (cwd / "node_modules").symlink_to(NODE_DIR / "node_modules")
        path = cwd / f"snippet{ext}"
        path.write_text(code)
        must(sh(["node", "--check", str(path)], cwd=cwd), f"node --check ({ext})")
        wanted = js_names(b.code)
        p = must(sh(["node", "-e", JS_NAMES, json.dumps(wanted)], cwd=cwd), "name check")
        missing = json.loads(p.stdout)
        if missing:
            raise Failure(f"not exported by the installed port-secret: {', '.join(missing)}")
        if b.mode == "check":
            return f"node --check ({ext}); {sum(map(len, wanted.values()))} name(s) from port-secret found"
        p = must(sh(["node", str(path)], cwd=cwd, env=base_env()), "node")
        return f"node ({ext})" + (f": {p.stdout.strip().splitlines()[-1]}" if p.stdout.strip() else "")
    finally:
        shutil.rmtree(cwd, ignore_errors=True)


RUST_TOML = """[package]
name = "readme-snippet"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
port-secret-core = {{ path = "{core}" }}
serde_json = "1"

[profile.dev.package."*"]
opt-level = 3

[workspace]
"""


def run_rust(b: Block) -> str:
    crate = WORK / "rust" / f"snippet-{b.file.parent.name}-{b.line}"
    shutil.rmtree(crate, ignore_errors=True)
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(RUST_TOML.format(core=ROOT / "crates" / "port-secret-core"))
    shutil.copy(ROOT / "Cargo.lock", crate / "Cargo.lock")
    if re.search(r"^\s*fn main\s*\(", b.code, re.M):
        main = compose(b, ".rs")
    else:
        if b.mode == "run" and not b.opts.get("epilogue"):
            raise Failure("a Rust block without `fn main` runs only with an epilogue calling it "
                          "(or mark it `check: <reason>`)")
        main = "#![allow(dead_code, unused_imports)]\n" + b.code + "\n"
        main += prelude_text(b.opts["epilogue"], ".rs") if b.opts.get("epilogue") else "fn main() {}\n"
    (crate / "src" / "main.rs").write_text(main)
    env = base_env()
    env["CARGO_TARGET_DIR"] = str(ROOT / "target")
    env["CARGO_TERM_COLOR"] = "never"
    must(sh(["cargo", "build", "--quiet", "--offline", "--manifest-path", str(crate / "Cargo.toml")],
            env=env, timeout=900), "cargo build")
    if b.mode == "check":
        shutil.rmtree(crate, ignore_errors=True)
        return "compiled (crate on port-secret-core + serde_json)"
    cwd = demo_dir()
    try:
        p = must(sh([str(ROOT / "target" / "debug" / "readme-snippet")], cwd=cwd, env=env), "the program")
        return "compiled and ran" + (f": {p.stdout.strip().splitlines()[-1]}" if p.stdout.strip() else "")
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
        shutil.rmtree(crate, ignore_errors=True)


def run_c(b: Block) -> str:
    cwd = demo_dir()
    try:
        (cwd / "snippet.c").write_text(compose(b, ".c"))
        flags = ["-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{ROOT / 'include'}"]
        if b.mode == "check" and not b.opts.get("prelude"):
            must(sh(["cc", *flags, "-fsyntax-only", "snippet.c"], cwd=cwd), "cc -fsyntax-only")
            return "cc -fsyntax-only"
        must(sh(["cc", *flags, "snippet.c", f"-L{LIB}", "-lport_secret", f"-Wl,-rpath,{LIB}", "-o", "snippet"],
                cwd=cwd), "cc")
        if b.mode == "check":
            return "compiled and linked"
        p = must(sh(["./snippet"], cwd=cwd, env=base_env()), "the program")
        return "compiled and ran" + (f": {p.stdout.strip().splitlines()[-1][:80]}" if p.stdout.strip() else "")
    finally:
        shutil.rmtree(cwd, ignore_errors=True)


def run_json(b: Block) -> str:
    try:
        json.loads(b.code)
    except ValueError as e:
        raise Failure(f"not JSON: {e}")
    return "parsed (JSON)"


def run_yaml(b: Block) -> str:
    p = sh([PYTHON, "-c", "import sys, yaml; yaml.safe_load(sys.stdin)"], input=b.code)
    must(p, "yaml.safe_load")
    return "parsed (YAML)"


def run_go(b: Block) -> str:
    if b.mode != "check":
        raise Failure("go blocks have no runner here: mark them `check: <reason>` (gofmt -e) or `skip: <reason>`")
    must(sh(["gofmt", "-e"], input=compose(b, ".go")), "gofmt -e")
    return "gofmt -e"


def run_java(b: Block) -> str:
    if b.mode != "check":
        raise Failure("java blocks have no runner here: mark them `check: <reason>` (javac) or `skip: <reason>`")
    code = compose(b, ".java")
    m = re.search(r"\b(?:public\s+)?(?:final\s+)?(?:class|record|interface)\s+(\w+)", code)
    if not m:
        raise Failure("a java check needs a block declaring a class (or a prelude template around it)")
    d = Path(tempfile.mkdtemp(prefix="readme-java-", dir=WORK / "tmp"))
    try:
        (d / f"{m.group(1)}.java").write_text(code)
        must(sh(["javac", "-d", str(d), f"{m.group(1)}.java"], cwd=d), "javac")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return "javac"


RUNNERS = {"sh": run_sh, "python": run_python, "js": run_js, "rust": run_rust, "c": run_c,
           "json": run_json, "yaml": run_yaml, "go": run_go, "java": run_java}


def doctests() -> str:
    script = r"""
import doctest, importlib, pkgutil, sys, port_secret
found = failed = 0
for mod in pkgutil.walk_packages(port_secret.__path__, "port_secret."):
    src = importlib.util.find_spec(mod.name).origin
    if not src or not src.endswith(".py") or ">>>" not in open(src).read():
        continue
    r = doctest.testmod(importlib.import_module(mod.name))
    found += r.attempted; failed += r.failed
import importlib.util
print(found, failed)
"""
    p = must(sh([PYTHON, "-c", "import importlib.util\n" + script], cwd=WORK / "tmp"), "doctest")
    found, failed = map(int, p.stdout.split()[-2:])
    if failed:
        raise Failure(f"python docstring examples: {failed} of {found} failed\n{p.stdout}")
    return f"{found} python docstring example(s) (doctest)" if found else \
        "python docstring examples: none exist (no `>>>` in port_secret)"


def main(argv: list[str]) -> int:
    only = None
    if "--only" in argv:
        i = argv.index("--only")
        only = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    files = [Path(a).resolve() for a in argv] or [
        ROOT / "README.md", *sorted(ROOT.glob("examples/*/README.md")),
        ROOT / "python" / "README.md", ROOT / "node" / "README.md",
    ]
    (WORK / "tmp").mkdir(parents=True, exist_ok=True)
    counts = {"run": 0, "check": 0, "skip": 0}
    failures: list[str] = []
    skipped: list[str] = []
    for path in files:
        try:
            blocks = parse(path)
        except Failure as e:
            failures.append(str(e))
            continue
        failures += lint_text(path, blocks)
        print(f"--- {path.relative_to(ROOT)}: {len(blocks)} block(s)")
        for b in blocks:
            label = f"{b.where} [{b.info or 'no language'}]"
            if only and only not in label:
                continue
            if b.lang in ("json", "yaml") and b.mode == "run":
                b.mode = "check"  # data: parsing is all there is
            if b.mode == "skip":
                counts["skip"] += 1
                skipped.append(f"{label}: {b.reason}")
                print(f"skip   {label}: {b.reason}")
                continue
            runner = RUNNERS.get(b.lang)
            if runner is None:
                failures.append(f"{label}: an unmarked {b.lang} block that cannot run: "
                                "mark it `<!-- readme-test: skip: <reason> -->` (or check)")
                print(f"FAIL   {label}: unmarked, no runner for {b.lang}")
                continue
            t = time.time()
            try:
                note = runner(b)
            except Failure as e:
                failures.append(f"{label} ({b.mode}): {e}")
                print(f"FAIL   {label} ({b.mode}): {str(e).splitlines()[0][:200]}")
                continue
            counts[b.mode] += 1
            why = f" -- {b.reason}" if b.mode == "check" else ""
            print(f"{b.mode:<6} {label}: {note} ({time.time() - t:.1f}s){why}")
    if not only:
        try:
            print(doctests())
        except Failure as e:
            failures.append(str(e))
    print(f"readme blocks: {counts['run']} run, {counts['check']} checked, {counts['skip']} skipped, "
          f"{len(failures)} failed")
    if failures:
        print("\nFAILURES:", file=sys.stderr)
        for f in failures:
            print(f"- {f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
