"""The installed package: public names, version, typing marker."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import port_secret

# Every Python name of the public contract (shared API.md), plus the bytes variants.
CONTRACT = {
    "decrypt_aes256_gcm", "encrypt_aes256_gcm", "decrypt_client_side", "encrypt_client_side",
    "decrypt_fernet", "encrypt_fernet", "generate_key_pair", "sign_payload", "verify_signature",
    "Decryptor", "PortSecretError",
}
BYTES_VARIANTS = {"decrypt_aes256_gcm_bytes", "decrypt_client_side_bytes", "decrypt_fernet_bytes"}
DECRYPTOR_METHODS = {"decrypt", "decrypt_bytes", "decrypt_json", "decrypt_properties", "verify_signature"}


def test_public_names() -> None:
    assert CONTRACT | BYTES_VARIANTS <= set(port_secret.__all__)
    for name in port_secret.__all__:
        assert hasattr(port_secret, name), name
    assert len(set(port_secret.__all__)) == len(port_secret.__all__)
    for name in DECRYPTOR_METHODS:
        assert callable(getattr(port_secret.Decryptor, name))
    assert {n for n in dir(port_secret) if not n.startswith("_")} - set(port_secret.__all__) == set()


def test_version_matches_distribution() -> None:
    assert port_secret.__version__ == importlib.metadata.version("port-secret")
    assert port_secret.RSA_BACKEND == "aws-lc"


def test_typed() -> None:
    package = Path(port_secret.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "_native.pyi").is_file()
