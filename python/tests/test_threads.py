"""One Decryptor shared by several threads (the GIL is released during each call)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import port_secret
from port_secret import Decryptor, PortSecretError

from conftest import OTHER_SECRET, SECRET


def test_threads_share_one_decryptor(private_pem: str, public_pem: str) -> None:
    shared = Decryptor(client_secret=[OTHER_SECRET, SECRET], private_key=private_pem)
    work = []
    for i in range(96):
        text = f"value-{i}-" + "x" * (i % 40)
        if i % 3 == 0:
            work.append((port_secret.encrypt_client_side(text, public_pem), {"algorithm": "client-side", "key": public_pem}, text))
        elif i % 3 == 1:
            work.append((port_secret.encrypt_aes256_gcm(text, SECRET), "aes256-gcm", text))
        else:
            work.append((port_secret.encrypt_fernet(text, SECRET), "fernet", text))
    work.append(("AAAA" * 100, "client-side", None))  # a failure among the successes

    def one(item: tuple[str, object, object]) -> object:
        value, enc, _ = item
        try:
            return shared.decrypt(value, enc)  # type: ignore[arg-type]
        except PortSecretError as err:
            return err.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            results = list(pool.map(one, work))
            assert results[:-1] == [text for _, _, text in work[:-1]]
            assert results[-1] == "authentication_failed"
