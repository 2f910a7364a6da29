"""Kafka consumer helper: bytes in, run out, for the messages of Port's Kafka topic.

Works with the messages of confluent-kafka (``msg.value()``), kafka-python and aiokafka
(``msg.value``), or a value's bytes::

    from confluent_kafka import Consumer
    from port_secret import Decryptor
    from port_secret.kafka import MessageOpener

    opener = MessageOpener(Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"]))
    while True:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        run = opener.open(msg)               # None: refused, reported and skipped
        if run is not None:
            handle(run["payload"]["properties"])

    for run, msg in opener.runs(kafka_python_consumer):   # an iterable of messages
        ...
    async for run, msg in opener.aruns(aiokafka_consumer):  # off the event loop
        ...

Each value is opened with one :meth:`port_secret.Decryptor.open_kafka_message` call (the
signature and timestamp inside the message's ``headers``, the JSON parse, every secret input
decrypted, all in Rust without the GIL). A message that is refused (unsigned, tampered, stale, a
secret that fails, not JSON, over ``max_body`` bytes) is reported to ``on_reject`` with a
:class:`KafkaRejection` (its code, the input's name, topic, partition, offset; never the value),
then skipped (``on_error="skip"``, the default: it would never verify, so retrying it would only
hold the partition back) or raised as :class:`PortKafkaRejection` (``on_error="raise"``). The
default ``on_reject`` logs one warning line on the ``port_secret.kafka`` logger.
"""

from __future__ import annotations

import functools
import logging
from typing import (
    Any,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Dict,
    Iterable,
    Iterator,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from . import DEFAULT_MAX_BODY, Decryptor, PortSecretError
from ._http import BODY_TOO_LARGE, run_options

__all__ = [
    "DEFAULT_MAX_BODY",
    "KafkaRejection",
    "MessageOpener",
    "PortKafkaRejection",
    "open_message",
    "warn_rejected",
]

log = logging.getLogger("port_secret.kafka")

_ON_ERROR = ("skip", "raise")


class KafkaRejection:
    """A message that was refused: ``code`` (a :data:`port_secret.ERROR_CODES` code, or
    ``"body_too_large"``), ``input`` (the secret input that failed, else None) and where the
    message is (``topic``, ``partition``, ``offset``; None when only bytes were given)."""

    __slots__ = ("code", "input", "offset", "partition", "topic")

    def __init__(
        self,
        code: str,
        input: Optional[str] = None,
        topic: Optional[str] = None,
        partition: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> None:
        self.code = code
        self.input = input
        self.topic = topic
        self.partition = partition
        self.offset = offset

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in ("code", "input", "topic", "partition", "offset")
            if getattr(self, name) is not None
        )
        return f"KafkaRejection({fields})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KafkaRejection):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def as_dict(self) -> Dict[str, Any]:
        """The fields that are set, as a dict (for a log record or a metrics label)."""
        return {n: getattr(self, n) for n in ("code", "input", "topic", "partition", "offset")
                if getattr(self, n) is not None}


class PortKafkaRejection(PortSecretError):
    """Raised for a refused message with ``on_error="raise"``: a :class:`PortSecretError` with
    ``code`` and ``input``, plus ``rejection`` (the :class:`KafkaRejection`)."""

    rejection: KafkaRejection

    def __init__(self, rejection: KafkaRejection) -> None:
        where = ""
        if rejection.topic is not None:
            where = f" at {rejection.topic}/{rejection.partition}@{rejection.offset}"
        named = f" (input {rejection.input!r})" if rejection.input is not None else ""
        super().__init__(
            f"{rejection.code}: Port Kafka message refused{named}{where}",
            rejection.code,
            rejection.input,
        )
        self.rejection = rejection

    def __reduce__(self) -> Any:
        return (type(self), (self.rejection,))

    def __repr__(self) -> str:
        return f"PortKafkaRejection({self.rejection!r})"


PortKafkaRejection.__module__ = "port_secret.kafka"


def warn_rejected(rejection: KafkaRejection) -> None:
    """The default ``on_reject``: one warning line (code, input name, coordinates; no value)."""
    log.warning("port-secret: refused a Kafka message: %s", rejection.as_dict())


def _field(message: Any, name: str) -> Any:
    """``message.name`` (kafka-python, aiokafka) or ``message.name()`` (confluent-kafka)."""
    value = getattr(message, name, None)
    return value() if callable(value) else value


def _value(message: Any) -> Tuple[Any, Optional[str], Optional[int], Optional[int]]:
    """The value (bytes, str or None) of a message or of bytes, and where the message is."""
    if message is None or isinstance(message, (bytes, bytearray, memoryview, str)):
        return message, None, None, None
    error = getattr(message, "error", None)
    if callable(error):  # confluent-kafka: a consumer event, not a record
        err = error()
        if err is not None:
            from confluent_kafka import KafkaException

            raise KafkaException(err)
    if not hasattr(message, "value"):
        raise TypeError(
            "open_message: expected a Kafka message (with .value or .value()) or its bytes, got "
            + type(message).__name__
        )
    return (
        _field(message, "value"),
        _field(message, "topic"),
        _field(message, "partition"),
        _field(message, "offset"),
    )


def _open_value(
    decryptor: Decryptor, options: Dict[str, Any], max_body: int, value: Any
) -> Tuple[Optional[Dict[str, Any]], Optional[str], Optional[str]]:
    """(run, None, None), or (None, code, input) for a value refused. Not part of the API: shared
    with :mod:`port_secret.aws_lambda`."""
    if value is None:
        value = b""
    size = len(value.encode("utf-8")) if isinstance(value, str) else len(value)
    if size > max_body:
        return None, BODY_TOO_LARGE, None
    try:
        return decryptor.open_kafka_message(value, **options), None, None
    except PortSecretError as err:
        return None, err.code, err.input


class MessageOpener:
    """Opens the messages of Port's Kafka topic, with the options of
    :meth:`port_secret.Decryptor.open_kafka_message` (checked here: bad ones raise
    ``TypeError``), ``on_error`` (``"skip"`` or ``"raise"``) and ``on_reject`` (called with a
    :class:`KafkaRejection` for each refused message; default: :func:`warn_rejected`).

    ``open(message)`` is the run, or None for a message refused and skipped; ``runs(messages)``
    yields ``(run, message)`` for each verified message of an iterable (a kafka-python
    ``KafkaConsumer``, a list of confluent-kafka messages from ``consume()``);
    ``open_async`` / ``aruns`` do the same off the event loop (aiokafka).
    """

    def __init__(
        self,
        decryptor: Decryptor,
        *,
        on_error: str = "skip",
        on_reject: Optional[Callable[[KafkaRejection], Any]] = None,
        user_inputs: Optional[Union[Dict[str, Any], Sequence[str]]] = None,
        verify_signature: bool = True,
        tolerance: int = 300,
        properties_pointer: str = "/payload/properties",
        max_body: int = DEFAULT_MAX_BODY,
        user_inputs_pointer: str = "/payload/action/userInputs",
        default_encryption: Union[str, Dict[str, Any]] = "aes256-gcm",
        max_client_side_inputs: int = 64,
    ) -> None:
        where = type(self).__name__
        if on_error not in _ON_ERROR:
            raise TypeError(f"{where}: on_error must be 'skip' or 'raise'")
        if on_reject is not None and not callable(on_reject):
            raise TypeError(f"{where}: on_reject must be callable")
        self._options = run_options(
            where,
            decryptor,
            kafka=True,
            user_inputs=user_inputs,
            verify_signature=verify_signature,
            tolerance=tolerance,
            properties_pointer=properties_pointer,
            max_body=max_body,
            user_inputs_pointer=user_inputs_pointer,
            default_encryption=default_encryption,
            max_client_side_inputs=max_client_side_inputs,
        )
        self._decryptor = decryptor
        self._max_body = max_body
        self.on_error = on_error
        self.on_reject: Callable[[KafkaRejection], Any] = (
            warn_rejected if on_reject is None else on_reject
        )

    def __repr__(self) -> str:
        return f"MessageOpener(on_error={self.on_error!r}, max_body={self._max_body})"

    def _settle(
        self,
        opened: Tuple[Optional[Dict[str, Any]], Optional[str], Optional[str]],
        where: Tuple[Optional[str], Optional[int], Optional[int]],
    ) -> Optional[Dict[str, Any]]:
        run, code, input = opened
        if run is not None:
            return run
        assert code is not None
        rejection = KafkaRejection(code, input, *where)
        self.on_reject(rejection)
        if self.on_error == "raise":
            raise PortKafkaRejection(rejection)
        return None

    def open(self, message: Any) -> Optional[Dict[str, Any]]:
        """The run of one message (or value): its JSON with every secret input decrypted; None
        when it was refused (reported to ``on_reject``) and ``on_error="skip"``."""
        value, *where = _value(message)
        opened = _open_value(self._decryptor, self._options, self._max_body, value)
        return self._settle(opened, tuple(where))  # type: ignore[arg-type]

    async def open_async(self, message: Any) -> Optional[Dict[str, Any]]:
        """:meth:`open` in a worker thread (the GIL is released while it decrypts): the event
        loop goes on while RSA and AES run."""
        import asyncio

        value, *where = _value(message)
        call = functools.partial(_open_value, self._decryptor, self._options, self._max_body, value)
        opened = await asyncio.get_running_loop().run_in_executor(None, call)
        return self._settle(opened, tuple(where))  # type: ignore[arg-type]

    def runs(self, messages: Iterable[Any]) -> Iterator[Tuple[Dict[str, Any], Any]]:
        """``(run, message)`` for each verified message; refused ones reported and skipped (or
        raised). None items (an empty ``poll``) are passed over."""
        for message in messages:
            if message is None:
                continue
            run = self.open(message)
            if run is not None:
                yield run, message

    async def aruns(self, messages: AsyncIterable[Any]) -> AsyncIterator[Tuple[Dict[str, Any], Any]]:
        """:meth:`runs` for an async iterable (an aiokafka ``AIOKafkaConsumer``)."""
        async for message in messages:
            if message is None:
                continue
            run = await self.open_async(message)
            if run is not None:
                yield run, message


def open_message(
    decryptor: Decryptor,
    message: Any,
    *,
    on_error: str = "skip",
    on_reject: Optional[Callable[[KafkaRejection], Any]] = None,
    user_inputs: Optional[Union[Dict[str, Any], Sequence[str]]] = None,
    verify_signature: bool = True,
    tolerance: int = 300,
    properties_pointer: str = "/payload/properties",
    max_body: int = DEFAULT_MAX_BODY,
    user_inputs_pointer: str = "/payload/action/userInputs",
    default_encryption: Union[str, Dict[str, Any]] = "aes256-gcm",
    max_client_side_inputs: int = 64,
) -> Optional[Dict[str, Any]]:
    """One message: ``MessageOpener(decryptor, ...).open(message)``. For a consumer loop, make
    the :class:`MessageOpener` once (its options are checked when it is made)."""
    return MessageOpener(
        decryptor,
        on_error=on_error,
        on_reject=on_reject,
        user_inputs=user_inputs,
        verify_signature=verify_signature,
        tolerance=tolerance,
        properties_pointer=properties_pointer,
        max_body=max_body,
        user_inputs_pointer=user_inputs_pointer,
        default_encryption=default_encryption,
        max_client_side_inputs=max_client_side_inputs,
    ).open(message)
