"""The docs' own libraries, both ways: reference code written here with pycryptodome (aes256-gcm,
client-side) and pyca/cryptography (Fernet) reads what port_secret encrypts, and port_secret reads
what they encrypt."""

from __future__ import annotations

import base64
import os

import pytest
from Crypto.Cipher import AES, PKCS1_OAEP
from Crypto.Hash import SHA256
from Crypto.PublicKey import RSA
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization

import port_secret
from port_secret import Decryptor, PortSecretError, _native

from conftest import SECRET

LENGTHS = [0, 1, 15, 16, 17, 31, 32, 33, 1027]
TEXTS = ["", "a", "hunter2", "multi\nline\r\nvalue", '{"user":"app","port":5432}', "ünïcødé ✓ 秘密 🔑"]


def plaintexts() -> list[bytes]:
    return [os.urandom(n) for n in LENGTHS] + [t.encode() for t in TEXTS]


# --- reference implementations (as Port's docs do it) -------------------------------------


def ref_aes_key(secret: str) -> bytes:
    return secret[:32].encode()


def ref_decrypt_aes256_gcm(value: str, secret: str) -> bytes:
    raw = base64.b64decode(value)
    iv, ciphertext, tag = raw[:16], raw[16:-16], raw[-16:]
    return AES.new(ref_aes_key(secret), AES.MODE_GCM, nonce=iv).decrypt_and_verify(ciphertext, tag)


def ref_encrypt_aes256_gcm(plaintext: bytes, secret: str) -> str:
    iv = os.urandom(16)
    ciphertext, tag = AES.new(ref_aes_key(secret), AES.MODE_GCM, nonce=iv).encrypt_and_digest(plaintext)
    return base64.b64encode(iv + ciphertext + tag).decode()


def ref_decrypt_client_side(value: str, private_pem: str) -> bytes:
    key = RSA.import_key(private_pem)
    k = key.size_in_bytes()
    raw = base64.b64decode(value)
    iv, wrapped, rest = raw[:12], raw[12 : 12 + k], raw[12 + k :]
    aes_key = PKCS1_OAEP.new(key, hashAlgo=SHA256).decrypt(wrapped)
    return AES.new(aes_key, AES.MODE_GCM, nonce=iv).decrypt_and_verify(rest[:-16], rest[-16:])


def ref_encrypt_client_side(plaintext: bytes, public_pem: str) -> str:
    key = RSA.import_key(public_pem)
    aes_key, iv = os.urandom(32), os.urandom(12)
    wrapped = PKCS1_OAEP.new(key, hashAlgo=SHA256).encrypt(aes_key)
    ciphertext, tag = AES.new(aes_key, AES.MODE_GCM, nonce=iv).encrypt_and_digest(plaintext)
    return base64.b64encode(iv + wrapped + ciphertext + tag).decode()


def ref_fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(secret[:32].encode()))


# --- aes256-gcm ---------------------------------------------------------------------------


@pytest.mark.parametrize("plaintext", plaintexts(), ids=lambda p: f"{len(p)}B")
def test_aes256_gcm_both_ways(plaintext: bytes, decryptor: Decryptor) -> None:
    ours = port_secret.encrypt_aes256_gcm(plaintext, SECRET)
    assert len(base64.b64decode(ours)) == 16 + len(plaintext) + 16
    assert ref_decrypt_aes256_gcm(ours, SECRET) == plaintext
    theirs = ref_encrypt_aes256_gcm(plaintext, SECRET)
    assert port_secret.decrypt_aes256_gcm_bytes(theirs, SECRET) == plaintext
    assert decryptor.decrypt_bytes(theirs, "aes256-gcm") == plaintext


def test_aes256_gcm_reference_rejects_tampering() -> None:
    raw = bytearray(base64.b64decode(port_secret.encrypt_aes256_gcm(b"x" * 20, SECRET)))
    raw[20] ^= 0x80
    tampered = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(ValueError):
        ref_decrypt_aes256_gcm(tampered, SECRET)
    with pytest.raises(PortSecretError) as info:
        port_secret.decrypt_aes256_gcm(tampered, SECRET)
    assert info.value.code == "authentication_failed"


# --- client-side --------------------------------------------------------------------------


@pytest.mark.parametrize("plaintext", plaintexts(), ids=lambda p: f"{len(p)}B")
def test_client_side_both_ways(plaintext: bytes, decryptor: Decryptor, private_pem: str, public_pem: str) -> None:
    ours = port_secret.encrypt_client_side(plaintext, public_pem)
    assert len(base64.b64decode(ours)) == 12 + 256 + len(plaintext) + 16
    assert ref_decrypt_client_side(ours, private_pem) == plaintext
    theirs = ref_encrypt_client_side(plaintext, public_pem)
    assert port_secret.decrypt_client_side_bytes(theirs, private_pem) == plaintext
    assert decryptor.decrypt_bytes(theirs, {"algorithm": "client-side", "key": public_pem}) == plaintext


@pytest.mark.parametrize("bits", [3072, 4096])
def test_client_side_larger_keys(bits: int) -> None:
    from conftest import read_key

    private, public = read_key(f"rsa{bits}_pkcs8.pem"), read_key(f"rsa{bits}_public.pem")
    ours = port_secret.encrypt_client_side("big key", public)
    assert len(base64.b64decode(ours)) == 12 + bits // 8 + 7 + 16
    assert ref_decrypt_client_side(ours, private) == b"big key"
    assert port_secret.decrypt_client_side(ref_encrypt_client_side(b"big key", public), private) == "big key"


def test_generated_keys_load_elsewhere() -> None:
    private, public = port_secret.generate_key_pair(2048)
    key = RSA.import_key(private)
    assert key.has_private() and key.size_in_bits() == 2048
    assert RSA.import_key(public).n == key.n
    pyca = serialization.load_pem_private_key(private.encode(), password=None)
    assert pyca.key_size == 2048  # type: ignore[union-attr]
    value = ref_encrypt_client_side(b"generated", public)
    assert port_secret.decrypt_client_side(value, private) == "generated"
    assert ref_decrypt_client_side(port_secret.encrypt_client_side(b"generated", public), private) == b"generated"


# --- fernet -------------------------------------------------------------------------------


@pytest.mark.parametrize("plaintext", plaintexts(), ids=lambda p: f"{len(p)}B")
def test_fernet_both_ways(plaintext: bytes, decryptor: Decryptor) -> None:
    ours = port_secret.encrypt_fernet(plaintext, SECRET)
    assert ref_fernet(SECRET).decrypt(ours.encode(), ttl=60) == plaintext
    theirs = ref_fernet(SECRET).encrypt(plaintext).decode()
    assert port_secret.decrypt_fernet_bytes(theirs, SECRET, ttl=60) == plaintext
    assert decryptor.decrypt_bytes(theirs, "fernet") == plaintext


def test_fernet_fixed_parts_match_pyca_exactly() -> None:
    iv, now = bytes(range(16)), 499162800
    for plaintext in plaintexts():
        ours = _native._encrypt_fernet_from_parts(plaintext, SECRET, now, iv)
        theirs = ref_fernet(SECRET)._encrypt_from_parts(plaintext, now, iv).decode()
        assert ours == theirs
