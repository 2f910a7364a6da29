"""What the decrypt snippets in Port's docs do, written independently with the same libraries
(pycryptodome for aes256-gcm and client-side, pyca/cryptography's Fernet for fernet), so tests can
check this project against them in both directions. Deliberately as lenient as the snippets are
(e.g. base64.b64decode without validation): this is the code users run today.
"""
import base64
import json
import os

from Crypto.Cipher import AES, PKCS1_OAEP
from Crypto.Hash import SHA256
from Crypto.PublicKey import RSA
from cryptography.fernet import Fernet


def decrypt_aes256_gcm(value: str, client_secret: str) -> bytes:
    """Port-managed: IV(16) || ciphertext || MAC(16), key = first 32 characters of the secret."""
    raw = base64.b64decode(value)
    iv, ciphertext, mac = raw[:16], raw[16:-16], raw[-16:]
    cipher = AES.new(client_secret[:32].encode(), AES.MODE_GCM, iv)
    return cipher.decrypt_and_verify(ciphertext, mac)


def encrypt_aes256_gcm(plaintext: bytes, client_secret: str) -> str:
    iv = os.urandom(16)
    cipher = AES.new(client_secret[:32].encode(), AES.MODE_GCM, iv)
    ciphertext, mac = cipher.encrypt_and_digest(plaintext)
    return base64.b64encode(iv + ciphertext + mac).decode()


def decrypt_client_side(value: str, private_key_pem: bytes) -> bytes:
    """Client-side: IV(12) || RSA-OAEP-SHA256(AES key) || ciphertext || tag(16)."""
    key = RSA.import_key(private_key_pem)
    k = key.size_in_bytes()
    raw = base64.b64decode(value)
    iv, wrapped, rest = raw[:12], raw[12:12 + k], raw[12 + k:]
    aes_key = PKCS1_OAEP.new(key, hashAlgo=SHA256).decrypt(wrapped)
    cipher = AES.new(aes_key, AES.MODE_GCM, nonce=iv)
    return cipher.decrypt_and_verify(rest[:-16], rest[-16:])


def encrypt_client_side(plaintext: bytes, public_key_pem: bytes) -> str:
    key = RSA.import_key(public_key_pem)
    aes_key, iv = os.urandom(32), os.urandom(12)
    wrapped = PKCS1_OAEP.new(key, hashAlgo=SHA256).encrypt(aes_key)
    ciphertext, tag = AES.new(aes_key, AES.MODE_GCM, nonce=iv).encrypt_and_digest(plaintext)
    return base64.b64encode(iv + wrapped + ciphertext + tag).decode()


def fernet_for(client_secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(client_secret[:32].encode()))


def decrypt_fernet(token: str, client_secret: str) -> bytes:
    return fernet_for(client_secret).decrypt(token.encode())


def encrypt_fernet(plaintext: bytes, client_secret: str) -> str:
    return fernet_for(client_secret).encrypt(plaintext).decode()


def parse_object(plaintext: bytes):
    return json.loads(plaintext)
