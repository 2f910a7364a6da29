"""A webhook timestamp may be the header's text or an int (``int(time.time())``), in every
signature function; a bool or a float is a TypeError, never a silently different timestamp."""

import time

import pytest

import port_secret
from port_secret import Decryptor, PortSecretError

SECRET = "timestamp-test-client-secret-0123456789abcdef"
BODY = b'{"action":"deploy"}'


def test_int_and_str_timestamps_sign_and_verify_the_same():
    now = int(time.time())
    assert port_secret.sign_payload(BODY, SECRET, now) == port_secret.sign_payload(BODY, SECRET, str(now))
    signature = port_secret.sign_payload(BODY, SECRET, now)
    port_secret.verify_signature(BODY, signature, now, SECRET)
    port_secret.verify_signature(BODY, signature, str(now), SECRET)
    Decryptor(client_secret=SECRET).verify_signature(BODY, signature, now)


def test_a_stale_int_timestamp_is_expired():
    then = int(time.time()) - 3600
    signature = port_secret.sign_payload(BODY, SECRET, then)
    with pytest.raises(PortSecretError) as err:
        port_secret.verify_signature(BODY, signature, then, SECRET)
    assert err.value.code == "expired"


@pytest.mark.parametrize("bad", [True, 1.5, None, b"1700000000"])
def test_other_types_are_type_errors(bad):
    with pytest.raises(TypeError):
        port_secret.sign_payload(BODY, SECRET, bad)
    with pytest.raises(TypeError):
        Decryptor(client_secret=SECRET).verify_signature(BODY, "v1,AAAA", bad)


def test_a_secret_with_a_trailing_newline_is_invalid_key():
    for call in (
        lambda: Decryptor(client_secret=SECRET + "\n"),
        lambda: port_secret.sign_payload(BODY, SECRET + "\n", 1700000000),
        lambda: port_secret.verify_signature(BODY, "v1,AAAA", 1700000000, SECRET + "\n"),
    ):
        with pytest.raises(PortSecretError) as err:
            call()
        assert err.value.code == "invalid_key"
        assert "white space" in str(err.value)
