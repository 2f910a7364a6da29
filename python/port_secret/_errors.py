"""The one exception type of port_secret."""

from __future__ import annotations

from typing import Optional

__all__ = ["PortSecretError"]


class PortSecretError(ValueError):
    """A value, key or signature that port_secret cannot accept.

    ``code`` is one of the stable codes (``"invalid_base64"``, ``"malformed"``,
    ``"authentication_failed"``, ``"invalid_key"``, ``"invalid_utf8"``, ``"invalid_json"``,
    ``"expired"``, ``"unsupported_encryption"``, ``"invalid_signature"``).  ``input`` names the
    action input that failed in :meth:`Decryptor.decrypt_properties`, else ``None``.

    The message never contains a secret, a key or a plaintext.
    """

    code: str
    input: Optional[str]

    def __init__(self, message: str, code: str, input: Optional[str] = None) -> None:
        super().__init__(message)
        self.code = code
        self.input = input

    def __reduce__(self) -> tuple[type[PortSecretError], tuple[str, str, Optional[str]]]:
        return (type(self), (str(self), self.code, self.input))

    def __repr__(self) -> str:
        if self.input is None:
            return f"PortSecretError({str(self)!r}, code={self.code!r})"
        return f"PortSecretError({str(self)!r}, code={self.code!r}, input={self.input!r})"


PortSecretError.__module__ = "port_secret"
