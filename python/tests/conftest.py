"""Shared fixtures. The suite runs against the *installed* port_secret (scripts/test-python.sh
installs the release wheel into a fresh venv and runs pytest from outside the source tree)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import port_secret

REPO = Path(os.environ.get("PORT_SECRET_REPO", Path(__file__).resolve().parents[2]))
VECTORS = REPO / "tests" / "vectors"
KEYS = VECTORS / "keys"

# ASCII secrets: the docs' snippets take `secret[:32].encode()` (characters), the contract takes
# the first 32 UTF-8 bytes; both agree on ASCII.
SECRET = "pcs_" + "Q3mZ8vLr2XkP9wNc4Hy7BdF1sJ6gA0eT" + "-tail-ignored-by-aes"
OTHER_SECRET = "pcs_" + "Zx9Wv8Ut7Sr6Qp5On4Ml3Kj2Ih1Gf0Ed" + "-second-secret"


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        f"port_secret {port_secret.__version__} ({port_secret.RSA_BACKEND}) "
        f"from {Path(port_secret.__file__).parent}",
        f"vectors: {VECTORS}",
    ]


def pytest_configure(config: pytest.Config) -> None:
    # With PORT_SECRET_REQUIRE_INSTALLED=1 (the CI script), refuse to test the source tree.
    if os.environ.get("PORT_SECRET_REQUIRE_INSTALLED") == "1":
        location = Path(port_secret.__file__).resolve()
        source = (REPO / "python" / "port_secret").resolve()
        if source in location.parents or "site-packages" not in location.parts:
            raise pytest.UsageError(f"port_secret imported from {location}, not an installed wheel")


def read_key(name: str) -> str:
    return (KEYS / name).read_text()


@pytest.fixture(scope="session")
def private_pem() -> str:
    return read_key("rsa2048_pkcs8.pem")


@pytest.fixture(scope="session")
def public_pem() -> str:
    return read_key("rsa2048_public.pem")


@pytest.fixture(scope="session")
def private_pem_b() -> str:
    return read_key("rsa2048b_pkcs8.pem")


@pytest.fixture(scope="session")
def public_pem_b() -> str:
    return read_key("rsa2048b_public.pem")


@pytest.fixture(scope="session")
def decryptor(private_pem: str) -> port_secret.Decryptor:
    return port_secret.Decryptor(client_secret=SECRET, private_key=private_pem)
