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
    assert port_secret.sign_payload(BODY, now, SECRET) == port_secret.sign_payload(BODY, str(now), SECRET)
    signature = port_secret.sign_payload(BODY, now, SECRET)
    port_secret.verify_signature(BODY, signature, now, SECRET)
    port_secret.verify_signature(BODY, signature, str(now), SECRET)
    Decryptor(client_secret=SECRET).verify_signature(BODY, signature, now)


def test_a_stale_int_timestamp_is_expired():
    then = int(time.time()) - 3600
    signature = port_secret.sign_payload(BODY, then, SECRET)
    with pytest.raises(PortSecretError) as err:
        port_secret.verify_signature(BODY, signature, then, SECRET)
    assert err.value.code == "expired"


@pytest.mark.parametrize("bad", [True, 1.5, None, b"1700000000"])
def test_other_types_are_type_errors(bad):
    with pytest.raises(TypeError):
        port_secret.sign_payload(BODY, bad, SECRET)
    with pytest.raises(TypeError):
        Decryptor(client_secret=SECRET).verify_signature(BODY, "v1,AAAA", bad)


def test_a_secret_with_a_trailing_newline_is_invalid_key():
    for call in (
        lambda: Decryptor(client_secret=SECRET + "\n"),
        lambda: port_secret.sign_payload(BODY, 1700000000, SECRET + "\n"),
        lambda: port_secret.verify_signature(BODY, "v1,AAAA", 1700000000, SECRET + "\n"),
    ):
        with pytest.raises(PortSecretError) as err:
            call()
        assert err.value.code == "invalid_key"
        assert "white space" in str(err.value)


def test_sign_payload_takes_the_order_and_names_of_verify_signature():
    """One order for the one-shot functions, what was signed first and the key last:
    ``sign_payload(body, timestamp, client_secret)``. A call in the old order
    ``(body, client_secret, timestamp)`` puts the secret where the timestamp goes: ``malformed``,
    never a signature made with the timestamp as the key."""
    now = str(int(time.time()))
    with pytest.raises(PortSecretError) as err:
        port_secret.sign_payload(BODY, SECRET, now)  # the old order
    assert err.value.code == "malformed"
    assert SECRET not in str(err.value) and SECRET not in repr(err.value)
    # The old order with an int timestamp puts an int where the secret goes: a TypeError.
    with pytest.raises(TypeError, match="client_secret"):
        port_secret.sign_payload(BODY, SECRET, int(now))
    signature = port_secret.sign_payload(BODY, now, SECRET)
    port_secret.verify_signature(BODY, signature, now, SECRET)
    # The same keyword names in both functions: keyword calls read the same, in any order.
    assert port_secret.sign_payload(body=BODY, client_secret=SECRET, timestamp=now) == signature
    port_secret.verify_signature(body=BODY, signature=signature, timestamp=now, client_secret=SECRET)


# --- `now`: one public, keyword-only way to set the time, wherever the clock is read -------------

NOW = 1_764_583_200


def test_now_replaces_the_clock_for_signatures():
    signature = port_secret.sign_payload(BODY, NOW, SECRET)
    decryptor = Decryptor(client_secret=SECRET)
    for now in (NOW, NOW + 300, NOW - 300):
        port_secret.verify_signature(BODY, signature, NOW, SECRET, now=now)
        decryptor.verify_signature(BODY, signature, str(NOW), now=now)
    for now in (NOW + 301, NOW - 301, None):  # None: the clock, long after NOW's signature
        with pytest.raises(PortSecretError) as err:
            port_secret.verify_signature(BODY, signature, NOW, SECRET, now=now)
        assert err.value.code == "expired"
        with pytest.raises(PortSecretError) as err:
            decryptor.verify_signature(BODY, signature, NOW, tolerance=300, now=now)
        assert err.value.code == "expired"
    port_secret.verify_signature(BODY, signature, NOW, SECRET, 1000, now=NOW + 1000)


def test_now_replaces_the_clock_for_fernet_ttls():
    token = port_secret._native._encrypt_fernet_from_parts("old", SECRET, NOW, bytes(16))
    assert port_secret.decrypt_fernet(token, SECRET, 60, now=NOW + 60) == "old"
    assert port_secret.decrypt_fernet_bytes(token, SECRET, ttl=60, now=NOW) == b"old"
    for call in (
        lambda: port_secret.decrypt_fernet(token, SECRET, 60, now=NOW + 61),
        lambda: port_secret.decrypt_fernet_bytes(token, SECRET, ttl=60, now=NOW + 61),
        lambda: port_secret.decrypt_fernet(token, SECRET, 60, now=NOW - 61),  # from the future
        lambda: port_secret.decrypt_fernet(token, SECRET, 60),  # the clock: years later
    ):
        with pytest.raises(PortSecretError) as err:
            call()
        assert err.value.code == "expired"
    # Without a ttl the time is not read.
    assert port_secret.decrypt_fernet(token, SECRET, now=0) == "old"


@pytest.mark.parametrize("call", [
    lambda now: port_secret.verify_signature(BODY, "v1,AAAA", NOW, SECRET, 300, now),
    lambda now: port_secret.decrypt_fernet("AAAA", SECRET, 60, now),
    lambda now: Decryptor(client_secret=SECRET).verify_signature(BODY, "v1,AAAA", NOW, 300, now),
])
def test_now_is_keyword_only(call):
    with pytest.raises(TypeError):
        call(NOW)


@pytest.mark.parametrize(("now", "error"), [
    ("1764583200", TypeError), (1.5, TypeError), (True, TypeError), (b"1", TypeError),
    (2**64, ValueError),
])
def test_bad_now(now, error):
    decryptor = Decryptor(client_secret=SECRET)
    for call in (
        lambda: port_secret.verify_signature(BODY, "v1,AAAA", NOW, SECRET, now=now),
        lambda: decryptor.verify_signature(BODY, "v1,AAAA", NOW, now=now),
        lambda: port_secret.decrypt_fernet("AAAA", SECRET, 60, now=now),
        lambda: port_secret.decrypt_fernet_bytes("AAAA", SECRET, now=now),
        lambda: decryptor.open_kafka_message(b"{}", now=now),
    ):
        with pytest.raises(error) as err:
            call()
        assert not isinstance(err.value, PortSecretError)
        assert "now" in str(err.value)


def test_a_negative_now_is_a_time_before_1970_where_it_can_be():
    """Signatures take any 64-bit time; a Fernet token's time is unsigned, so a negative `now`
    there is a ValueError."""
    signature = port_secret.sign_payload(BODY, 0, SECRET)
    port_secret.verify_signature(BODY, signature, 0, SECRET, now=-300)
    with pytest.raises(ValueError) as err:
        port_secret.decrypt_fernet("AAAA", SECRET, 60, now=-1)
    assert not isinstance(err.value, PortSecretError)


def test_the_private_clock_hooks_are_gone():
    """`now=` replaced them; the IV hook stays (it fixes the IV, not just the time)."""
    assert not hasattr(port_secret._native, "_verify_signature_at")
    assert not hasattr(port_secret._native, "_decrypt_fernet_at")
    assert not hasattr(Decryptor, "_verify_signature_at")
    assert hasattr(port_secret._native, "_encrypt_fernet_from_parts")
