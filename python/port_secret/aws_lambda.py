"""AWS Lambda helpers: open Port runs (signature, parse, decryption: one call into Rust) from
Lambda events, before your handler runs.

Port's webhook behind API Gateway (REST API, payload v1; HTTP API, v2) or a function URL::

    from port_secret import Decryptor
    from port_secret.aws_lambda import port_webhook_handler

    decryptor = Decryptor(client_secret=os.environ["PORT_CLIENT_SECRET"])

    @port_webhook_handler(decryptor)
    def handler(run, event, context):
        password = run["payload"]["properties"]["db_password"]   # decrypted
        return {"ok": True}                                        # 200 JSON

Port's Kafka topic through an Amazon MSK or self-managed Kafka event source mapping::

    from port_secret.aws_lambda import port_kafka_handler

    @port_kafka_handler(decryptor)
    def handler(run, record, context):
        ...                                     # once per verified record

This module adds only Lambda's side: the body out of the event (base64 or not, at most
``max_body`` bytes), the headers (any case; REST API ``multiValueHeaders``), the proxy response,
the records of a Kafka batch and which of them failed. The answers are those of every helper
(``port_secret._http``): 401 ``{"error": code}``, 400 ``{"error": code, "input": name}``, 413
``{"error": "body_too_large"}``. No value is ever logged or put in a response.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeVar, Union

from . import DEFAULT_MAX_BODY, Decryptor, PortSecretError
from ._http import BODY_TOO_LARGE, answer, answer_for, base64_limit
from ._http import run_options as _run_options
from .kafka import KafkaRejection, PortKafkaRejection, _open_value, warn_rejected

__all__ = [
    "DEFAULT_MAX_BODY",
    "KafkaRejection",
    "PortKafkaRejection",
    "event_body",
    "event_headers",
    "port_kafka_handler",
    "port_webhook_handler",
]

_Handler = TypeVar("_Handler", bound=Callable[..., Any])
_JSON = "application/json"
_TOO_LARGE = object()


def _response(status: int, body: Any) -> Dict[str, Any]:
    """A Lambda proxy response (the shape REST APIs, HTTP APIs and function URLs all take)."""
    return {
        "statusCode": status,
        "headers": {"content-type": _JSON},
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def event_body(event: Dict[str, Any], max_body: int = DEFAULT_MAX_BODY) -> Optional[bytes]:
    """The raw request body of an API Gateway (REST, HTTP API) or function URL event: base64
    decoded when ``isBase64Encoded``, else the text's UTF-8 bytes; None when it is over
    ``max_body`` bytes (a base64 body is measured before it is decoded). Raises
    :class:`PortSecretError` ``invalid_base64`` for a base64 body that is not base64."""
    body = event.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise TypeError("event['body'] must be a string (an API Gateway or function URL event)")
    if event.get("isBase64Encoded") is True:
        if len(body) > base64_limit(max_body):
            return None
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise PortSecretError(
                "invalid_base64: the event's body is not base64", "invalid_base64"
            ) from None
    else:
        if len(body) > max_body:  # each character is at least one UTF-8 byte
            return None
        raw = body.encode("utf-8", "surrogatepass")
    return None if len(raw) > max_body else raw


def event_headers(event: Dict[str, Any]) -> List[Tuple[str, str]]:
    """The request headers as (name, value) pairs, names in any case: a REST API event's
    ``multiValueHeaders`` (every value) when present, else ``headers`` (HTTP API and function URL
    events join repeated headers with commas)."""
    multi = event.get("multiValueHeaders")
    source = multi if isinstance(multi, dict) and multi else event.get("headers")
    pairs: List[Tuple[str, str]] = []
    if not isinstance(source, dict):
        return pairs
    for name, value in source.items():
        if isinstance(value, str):
            pairs.append((name, value))
        elif isinstance(value, (list, tuple)):
            pairs.extend((name, item) for item in value if isinstance(item, str))
    return pairs


def _handler_result(result: Any) -> Any:
    """The handler's result as a proxy response: a dict with ``statusCode`` as is; None: 204;
    anything else: 200 with it as JSON."""
    if isinstance(result, dict) and isinstance(result.get("statusCode"), int):
        return result
    if result is None:
        return {"statusCode": 204, "headers": {}, "body": "", "isBase64Encoded": False}
    return _response(200, result)


def port_webhook_handler(
    decryptor: Decryptor,
    user_inputs: Optional[Union[Dict[str, Any], Sequence[str]]] = None,
    verify_signature: bool = True,
    tolerance: int = 300,
    properties_pointer: str = "/payload/properties",
    max_body: int = DEFAULT_MAX_BODY,
    user_inputs_pointer: str = "/payload/action/userInputs",
    delivery: str = "port",
    default_encryption: Union[str, Dict[str, Any]] = "aes256-gcm",
    max_client_side_inputs: int = 64,
) -> Callable[[_Handler], _Handler]:
    """Decorates a Lambda handler ``(run, event, context)`` for Port webhooks behind API Gateway
    REST APIs (payload v1), HTTP APIs (v2) or a function URL. The handler is called only for a
    verified run and returns a proxy response (a dict with ``statusCode``) or any other value
    (sent as JSON, 200; None: 204). A refused request is answered without calling it: 401, 400,
    413 as every helper. Options: those of :meth:`port_secret.Decryptor.open_webhook` (checked
    here: bad ones raise ``TypeError``)."""
    options = _run_options(
        "port_webhook_handler",
        decryptor,
        user_inputs=user_inputs,
        verify_signature=verify_signature,
        tolerance=tolerance,
        properties_pointer=properties_pointer,
        max_body=max_body,
        user_inputs_pointer=user_inputs_pointer,
        delivery=delivery,
        default_encryption=default_encryption,
        max_client_side_inputs=max_client_side_inputs,
    )

    def decorate(handler: _Handler) -> _Handler:
        if not callable(handler):
            raise TypeError("port_webhook_handler: the handler must be callable")

        @functools.wraps(handler)
        def wrapper(event: Dict[str, Any], context: Any = None) -> Any:
            if not isinstance(event, dict):
                raise TypeError("port_webhook_handler: the event must be a dict")
            try:
                raw = event_body(event, max_body)
                if raw is None:
                    return _response(*answer(BODY_TOO_LARGE))
                run = decryptor.open_webhook(raw, event_headers(event), **options)
            except PortSecretError as err:
                return _response(*answer_for(err))
            return _handler_result(handler(run, event, context))

        return wrapper  # type: ignore[return-value]

    return decorate


def port_kafka_handler(
    decryptor: Decryptor,
    *,
    on_error: str = "skip",
    on_reject: Optional[Callable[[KafkaRejection], Any]] = None,
    report_batch_item_failures: bool = False,
    user_inputs: Optional[Union[Dict[str, Any], Sequence[str]]] = None,
    verify_signature: bool = True,
    tolerance: int = 300,
    properties_pointer: str = "/payload/properties",
    max_body: int = DEFAULT_MAX_BODY,
    user_inputs_pointer: str = "/payload/action/userInputs",
    default_encryption: Union[str, Dict[str, Any]] = "aes256-gcm",
    max_client_side_inputs: int = 64,
) -> Callable[[_Handler], _Handler]:
    """Decorates a Lambda handler ``(run, record, context)`` for an Amazon MSK or self-managed
    Kafka event source mapping reading Port's Kafka topic. Each record of ``event["records"]``
    (keyed ``"topic-partition"``, ``value`` base64) is opened with one
    :meth:`port_secret.Decryptor.open_kafka_message` call, in order, and the handler is called
    for each verified run. The wrapper returns Lambda's partial batch response for Kafka,
    ``{"batchItemFailures": [{"itemIdentifier": {"partition": "topic-partition", "offset": n}}]}``
    (empty: the whole batch succeeded), which Lambda reads when the mapping has
    ``FunctionResponseTypes: ["ReportBatchItemFailures"]``.

    A refused record is passed to ``on_reject`` (a :class:`KafkaRejection`; default: one warning
    line, no value), then per ``on_error``: ``"skip"`` (default: it would never verify, a retry
    would only hold the partition back), ``"retry"`` (listed in ``batchItemFailures``; needs
    ``report_batch_item_failures=True``) or ``"raise"`` (:class:`PortKafkaRejection`: the
    invocation fails and Lambda retries the batch per the mapping's retry settings). An exception
    of the handler propagates (the batch is retried), or with ``report_batch_item_failures=True``
    its record is listed in ``batchItemFailures`` and the next record goes on.
    """
    where = "port_kafka_handler"
    if on_error not in ("skip", "retry", "raise"):
        raise TypeError(f"{where}: on_error must be 'skip', 'retry' or 'raise'")
    if not isinstance(report_batch_item_failures, bool):
        raise TypeError(f"{where}: report_batch_item_failures must be a bool")
    if on_error == "retry" and not report_batch_item_failures:
        raise TypeError(
            f"{where}: on_error='retry' needs report_batch_item_failures=True "
            "(and ReportBatchItemFailures on the event source mapping)"
        )
    if on_reject is not None and not callable(on_reject):
        raise TypeError(f"{where}: on_reject must be callable")
    report = warn_rejected if on_reject is None else on_reject
    options = _run_options(
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
    limit = base64_limit(max_body)

    def open_record(record: Dict[str, Any]) -> Tuple[Any, Optional[str], Optional[str]]:
        value = record.get("value")
        if value is None:
            raw = b""
        elif not isinstance(value, str):
            return None, "malformed", None
        elif len(value) > limit:
            return None, BODY_TOO_LARGE, None  # not decoded at all
        else:
            try:
                raw = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                return None, "invalid_base64", None
        return _open_value(decryptor, options, max_body, raw)

    def decorate(handler: _Handler) -> _Handler:
        if not callable(handler):
            raise TypeError(f"{where}: the handler must be callable")

        @functools.wraps(handler)
        def wrapper(event: Dict[str, Any], context: Any = None) -> Dict[str, Any]:
            records = event.get("records") if isinstance(event, dict) else None
            if not isinstance(records, dict):
                raise TypeError(
                    f"{where}: event['records'] must be a dict (an MSK or self-managed Kafka event)"
                )
            failures: List[Dict[str, Any]] = []
            for key, batch in records.items():
                if not isinstance(batch, list):
                    continue
                for record in batch:
                    if not isinstance(record, dict):
                        continue
                    item = {"itemIdentifier": {"partition": key, "offset": record.get("offset")}}
                    run, code, input = open_record(record)
                    if run is None:
                        rejection = KafkaRejection(
                            code or "malformed",
                            input,
                            record.get("topic"),
                            record.get("partition"),
                            record.get("offset"),
                        )
                        report(rejection)
                        if on_error == "raise":
                            raise PortKafkaRejection(rejection)
                        if on_error == "retry":
                            failures.append(item)
                        continue
                    try:
                        handler(run, record, context)
                    except Exception:
                        if not report_batch_item_failures:
                            raise
                        failures.append(item)
            return {"batchItemFailures": failures}

        return wrapper  # type: ignore[return-value]

    return decorate
