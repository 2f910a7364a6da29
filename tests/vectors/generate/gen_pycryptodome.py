#!/usr/bin/env python3
"""Valid aes256-gcm and client-side vectors made with pycryptodome (the library of Port's Python
decrypt example), each one decrypted again with pyca/cryptography while generating."""
import base64
import os
import sys

import Crypto
import cryptography
from Crypto.Cipher import AES, PKCS1_OAEP
from Crypto.Hash import SHA256
from Crypto.PublicKey import RSA
from Crypto.Random import get_random_bytes
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import COMMON_NOTES, Checker, b64e, load_inputs, make_test, pt_flags, read_key, write_vectors  # noqa: E402

PYCA = "pyca/cryptography %s" % cryptography.__version__
PYCRYPTODOME = "pycryptodome %s" % Crypto.__version__
GEN = "gen_pycryptodome.py"
SECRETS, PLAINTEXTS = load_inputs()
PT = dict(PLAINTEXTS)
C = Checker("gen_pycryptodome")
OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def gen_aes():
    tests = []

    def add(comment, flags, secret_name, data):
        secret = SECRETS[secret_name]
        key = secret.encode("utf-8")[:32]
        iv = get_random_bytes(16)
        ct, tag = AES.new(key, AES.MODE_GCM, nonce=iv).encrypt_and_digest(data)
        value = b64e(iv + ct + tag)
        raw = base64.b64decode(value)
        try:
            out = AESGCM(key).decrypt(raw[:16], raw[16:], None)
        except InvalidTag:
            out = None
        C.check(out == data, "pyca AESGCM decrypt: " + comment)
        tests.append(make_test(comment, flags, "valid", {"clientSecret": secret, "value": value}, data))

    for name, data in PLAINTEXTS:
        add("plaintext %s, 64-character secret" % name, pt_flags(name), "port64", data)
    for name in ("empty", "ascii17", "multiline_crlf", "bin_c328"):
        add("plaintext %s, secret of exactly 32 bytes" % name, ["Secret32Bytes"] + pt_flags(name), "exact32", PT[name])
    add("secret with non-ASCII characters after byte 32", ["SecretNonAsciiTail"] + pt_flags("unicode"), "nonAsciiTail", PT["unicode"])
    notes = dict(COMMON_NOTES)
    notes.update({
        "Secret32Bytes": "client secret of exactly 32 bytes (the whole secret is the key)",
        "SecretNonAsciiTail": "client secret with multi-byte UTF-8 characters after byte 32 (they are not part of the key)",
    })
    return write_vectors("aes256_gcm/aes256_gcm_pycryptodome_test.json", "aes256-gcm",
                         PYCRYPTODOME + " (AES.new(key, MODE_GCM, nonce=iv16).encrypt_and_digest)", GEN,
                         [PYCA + " (AESGCM(key).decrypt(iv16, ct||tag, None))"], notes, tests)


def gen_client_side():
    tests = []

    def add(comment, flags, kid, private_file, data):
        public_file = kid + "_public.pem"
        pub = RSA.import_key(read_key(public_file))
        aes_key = get_random_bytes(32)
        iv = get_random_bytes(12)
        wrapped = PKCS1_OAEP.new(pub, hashAlgo=SHA256).encrypt(aes_key)
        ct, tag = AES.new(aes_key, AES.MODE_GCM, nonce=iv).encrypt_and_digest(data)
        value = b64e(iv + wrapped + ct + tag)
        # pyca check
        priv = serialization.load_pem_private_key(read_key(private_file), None)
        k = priv.key_size // 8
        raw = base64.b64decode(value)
        try:
            out = AESGCM(priv.decrypt(raw[12:12 + k], OAEP)).decrypt(raw[:12], raw[12 + k:], None)
        except (ValueError, InvalidTag):
            out = None
        C.check(out == data, "pyca decrypt: " + comment)
        tests.append(make_test(comment, flags, "valid",
                               {"privateKey": private_file, "publicKey": public_file, "value": value}, data))

    for name, data in PLAINTEXTS:
        add("RSA 2048 (PKCS#8), plaintext %s" % name, ["Rsa2048"] + pt_flags(name), "rsa2048", "rsa2048_pkcs8.pem", data)
    for name in ("ascii", "bin_surrogate_eda080"):
        add("RSA 2048 (PKCS#1 private key), plaintext %s" % name, ["Rsa2048", "Pkcs1"] + pt_flags(name),
            "rsa2048", "rsa2048_pkcs1.pem", PT[name])
    add("second RSA 2048 key (rsa2048b)", ["Rsa2048", "SecondKey"] + pt_flags("unicode"), "rsa2048b", "rsa2048b_pkcs8.pem", PT["unicode"])
    for bits in (3072, 4096):
        kid = "rsa%d" % bits
        for name in ("empty", "ascii16", "long1027", "multiline_lf", "emoji_zwj", "nul_only", "bin_overlong_c0af"):
            add("RSA %d (PKCS#8), plaintext %s" % (bits, name), ["Rsa%d" % bits] + pt_flags(name), kid, kid + "_pkcs8.pem", PT[name])
        add("RSA %d (PKCS#1 private key), plaintext json_object" % bits, ["Rsa%d" % bits, "Pkcs1"] + pt_flags("json_object"),
            kid, kid + "_pkcs1.pem", PT["json_object"])
    notes = dict(COMMON_NOTES)
    notes.update({
        "Rsa2048": "RSA 2048-bit key: wrapped key is 256 bytes",
        "Rsa3072": "RSA 3072-bit key: wrapped key is 384 bytes",
        "Rsa4096": "RSA 4096-bit key: wrapped key is 512 bytes",
        "Pkcs1": "private key file in PKCS#1 (BEGIN RSA PRIVATE KEY)",
        "SecondKey": "made for rsa2048b (the second 2048-bit key; rotation: a Decryptor holding rsa2048 and rsa2048b must decrypt it)",
    })
    return write_vectors("client_side/client_side_pycryptodome_test.json", "client-side",
                         PYCRYPTODOME + " (PKCS1_OAEP.new(pub, hashAlgo=SHA256) + AES MODE_GCM, 12-byte IV)", GEN,
                         [PYCA + " (RSA OAEP SHA-256/MGF1-SHA-256 + AESGCM)"], notes, tests)


def main():
    counts = (gen_aes(), gen_client_side())
    C.finish("gen_pycryptodome: aes256-gcm %d, client-side %d tests written" % counts)


if __name__ == "__main__":
    main()
