"""Fixtures of the Python adapter suite (scripts/test-adapters-python.sh runs it against the
installed wheel)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def start(args: list[str], cwd: Path, port: int, env: dict | None = None) -> subprocess.Popen:
    proc = subprocess.Popen(args, cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_port(port, proc)
    except Exception:
        proc.kill()
        raise RuntimeError(f"{args} did not start: {proc.stderr.read().decode()[-2000:]}")
    return proc


def stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err.decode(errors="replace")


@pytest.fixture(scope="session")
def uvicorn_url():
    """tests/adapters/python/asgi_app.py under uvicorn, one worker, on a free port."""
    port = free_port()
    proc = start([sys.executable, "-m", "uvicorn", "asgi_app:app", "--host", "127.0.0.1",
                  "--port", str(port), "--no-access-log", "--log-level", "warning"], HERE, port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)
