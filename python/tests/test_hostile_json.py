"""Hostile Python values given as JSON (properties, user_inputs, an encryption dict): cyclic,
very deep, or a shared-object DAG that is shallow but exponential to walk. Each is a
PortSecretError("malformed") after bounded work, never a crash, a RecursionError or a hang."""

from __future__ import annotations

from typing import Any, Callable

import pytest

import port_secret
from port_secret import Decryptor, PortSecretError

from conftest import SECRET


def cyclic_list() -> Any:
    x: list[Any] = []
    x.append(x)
    return x


def cyclic_dict() -> Any:
    x: dict[str, Any] = {}
    x["self"] = x
    return x


def deep(n: int) -> Any:
    x: Any = {}
    for _ in range(n):
        x = {"x": x}
    return x


def dag(levels: int) -> Any:
    # 60 levels deep, 2^60 paths: only a value budget stops this.
    x: Any = "leaf"
    for _ in range(levels):
        x = [x, x]
    return x


HOSTILE: dict[str, Callable[[], Any]] = {
    "cyclic list": cyclic_list,
    "cyclic dict": cyclic_dict,
    "one million levels": lambda: deep(1_000_000),
    "129 levels": lambda: deep(129),
    "shared-object DAG": lambda: dag(60),
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("where", ["properties", "user_inputs", "encryption"])
def test_hostile_json_is_malformed(name: str, where: str) -> None:
    value = HOSTILE[name]()
    d = Decryptor(client_secret=SECRET)
    secret = port_secret.encrypt_aes256_gcm("the plaintext", SECRET)
    with pytest.raises(PortSecretError) as info:
        if where == "properties":
            d.decrypt_properties({"pw": secret, "other": value}, {"pw": {"encryption": "aes256-gcm"}})
        elif where == "user_inputs":
            d.decrypt_properties({"pw": secret}, {"pw": {"encryption": "aes256-gcm", "extra": value}})
        else:
            d.decrypt(secret, {"algorithm": "aes256-gcm", "extra": value})
    assert info.value.code == "malformed"
    assert "the plaintext" not in str(info.value)


def test_depth_128_is_accepted() -> None:
    """The limit is 128 levels (serde_json's): 120 levels pass through unchanged."""
    d = Decryptor(client_secret=SECRET)
    props = {"other": deep(120)}
    assert d.decrypt_properties(props, {}) == props
