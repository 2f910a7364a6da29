"""port_secret.aws_lambda with events in the shapes AWS documents (events/*.json: API Gateway
REST v1, HTTP API v2, function URL, MSK and self-managed Kafka), cross-checked by parsing the
same events with aws-lambda-powertools' event classes; every HTTP case answers as the Flask
helper answers the same request."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pytest
from aws_lambda_powertools.utilities.data_classes import (APIGatewayProxyEvent, APIGatewayProxyEventV2,
                                                           KafkaEvent, LambdaFunctionUrlEvent)

from port_secret import Decryptor
from port_secret.aws_lambda import (KafkaRejection, PortKafkaRejection, event_body, event_headers,
                                    port_kafka_handler, port_webhook_handler)
from port_secret.kafka import MessageOpener
from portcases import (EXPECTED, PRIVATE_KEY, SECRET, expected_run_message, flask_answer, flask_reference,
                       http_cases, kafka_cases)

EVENTS = Path(__file__).resolve().parent / "events"
CASES = http_cases()
decryptor = Decryptor(client_secret=SECRET, private_key=PRIVATE_KEY)
POWERTOOLS = {"rest-v1": APIGatewayProxyEvent, "http-v2": APIGatewayProxyEventV2,
              "function-url": LambdaFunctionUrlEvent}


def load(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def http_event(kind: str, case, base64_body: bool) -> dict:
    """The case as an event of this kind; header names in the case each source uses."""
    if kind == "rest-v1":
        event = load("apigw-rest-v1.json")
        for name, value in case.headers.items():
            title = "-".join(part.capitalize() for part in name.split("-"))  # X-Port-Signature
            event["headers"][title] = value
            event["multiValueHeaders"][title] = [value]
    else:
        event = load("apigw-http-v2.json" if kind == "http-v2" else "function-url.json")
        event["headers"].update(case.headers)  # HTTP APIs and URLs lower-case header names
        event["headers"]["content-length"] = str(len(case.raw))
    event["isBase64Encoded"] = base64_body
    event["body"] = base64.b64encode(case.raw).decode() if base64_body else case.raw.decode()
    return event


@port_webhook_handler(decryptor)
def handler(run, event, context):
    return {"run": run}


SHAPES = [("rest-v1", False), ("rest-v1", True), ("http-v2", True), ("http-v2", False),
          ("function-url", False), ("function-url", True)]


@pytest.mark.parametrize("kind, b64", SHAPES, ids=[f"{k}-{'b64' if b else 'text'}" for k, b in SHAPES])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_http_case_matches_flask_and_powertools(kind, b64, case):
    event = http_event(kind, case, b64)
    # powertools reads the same event: the same body and the same Port headers
    parsed = POWERTOOLS[kind](event)
    raw = event_body(event)
    if case.name != "oversize":
        assert raw == case.raw
        assert parsed.decoded_body == raw.decode()
    else:
        assert raw is None and parsed.decoded_body.encode() == case.raw
    ours = {k.lower(): v for k, v in event_headers(event)}
    for name in ("x-port-signature", "x-port-timestamp"):
        assert ours.get(name) == parsed.headers.get(name)  # powertools' headers: any case

    response = handler(event, None)
    assert response["headers"]["content-type"] == "application/json"
    assert response["isBase64Encoded"] is False
    got = (response["statusCode"], json.loads(response["body"]))
    assert got == flask_answer(flask_reference(), case)
    assert got == (case.status, {"run": EXPECTED} if case.body is None else case.body)


def test_rest_v1_multi_value_headers_win_and_any_case():
    case = next(c for c in CASES if c.name == "valid")
    event = http_event("rest-v1", case, False)
    sig = event["headers"].pop("X-Port-Signature")
    event["headers"]["x-port-signature"] = "v1,AAAA"  # `headers` holds the last value only
    event["multiValueHeaders"]["X-PORT-SIGNATURE"] = [sig]
    del event["multiValueHeaders"]["X-Port-Signature"]
    multi = APIGatewayProxyEvent(event).multi_value_headers
    assert [v for k, v in multi.items() if k.lower() == "x-port-signature"] == [[sig]]
    assert handler(event, None)["statusCode"] == 200


def test_results_and_bad_base64():
    case = next(c for c in CASES if c.name == "valid")
    event = http_event("http-v2", case, True)
    assert port_webhook_handler(decryptor)(lambda run, e, c: None)(event, None)["statusCode"] == 204
    custom = {"statusCode": 202, "body": "queued"}
    assert port_webhook_handler(decryptor)(lambda run, e, c: custom)(event, None) is custom
    event["body"] = "%%%not base64%%%"
    res = handler(event, None)
    assert (res["statusCode"], json.loads(res["body"])) == (400, {"error": "invalid_base64"})
    with pytest.raises(TypeError, match="port_webhook_handler: tolerance"):
        port_webhook_handler(decryptor, tolerance=-5)


# --- Kafka event source mappings -----------------------------------------------------------

KAFKA = kafka_cases()


def kafka_event(source: str) -> dict:
    """The Kafka cases as records of two partitions of topic port-runs, in AWS's shape."""
    event = load("msk.json" if source == "msk" else "self-managed-kafka.json")
    for i, (name, value, _) in enumerate(KAFKA):
        partition = i % 2
        event["records"].setdefault(f"port-runs-{partition}", []).append({
            "topic": "port-runs", "partition": partition, "offset": 100 + i,
            "timestamp": 1764581400000 + i, "timestampType": "CREATE_TIME",
            "key": base64.b64encode(name.encode()).decode(),
            "value": base64.b64encode(value).decode(),
            "headers": [{"source": list(b"port")}],
        })
    return event


def expected_rejections():
    return {100 + i: (want["error"], want.get("input"))
            for i, (_, _, want) in enumerate(KAFKA) if want is not None}


@pytest.mark.parametrize("source", ["msk", "self-managed"])
def test_kafka_batch_skip_default(source):
    event = kafka_event(source)
    # powertools decodes the same records to the same bytes we open
    parsed = {r.offset: r.decoded_value for r in KafkaEvent(event).records}
    assert parsed == {100 + i: value for i, (_, value, _) in enumerate(KAFKA)}

    runs, rejected = [], []

    @port_kafka_handler(decryptor, on_reject=rejected.append)
    def on_run(run, record, context):
        assert base64.b64decode(record["value"]) == parsed[record["offset"]]
        runs.append((record["offset"], run))

    assert on_run(event, None) == {"batchItemFailures": []}
    assert [offset for offset, _ in runs] == [100] and expected_run_message(runs[0][1])
    assert {r.offset: (r.code, r.input) for r in rejected} == expected_rejections()
    assert all(r.topic == "port-runs" and r.partition == (r.offset - 100) % 2 for r in rejected)

    # the consumer helper gives the same outcome on the same bytes
    opener = MessageOpener(decryptor, on_reject=lambda r: None)
    for offset, value in parsed.items():
        want = expected_rejections().get(offset)
        assert (opener.open(value) is None) == (want is not None)


def test_kafka_retry_lists_partial_batch_failures():
    event = kafka_event("msk")
    on_run = port_kafka_handler(decryptor, on_error="retry", report_batch_item_failures=True,
                                on_reject=lambda r: None)(lambda run, record, context: None)
    response = on_run(event, None)
    want = sorted(expected_rejections())
    assert [f["itemIdentifier"]["offset"] for f in response["batchItemFailures"]] == \
        [o for o in sorted(want, key=lambda o: ((o - 100) % 2, o))]
    for failure in response["batchItemFailures"]:
        ident = failure["itemIdentifier"]
        assert ident["partition"] == f"port-runs-{(ident['offset'] - 100) % 2}"


def test_kafka_raise_and_handler_errors():
    event = kafka_event("msk")
    strict = port_kafka_handler(decryptor, on_error="raise", on_reject=lambda r: None)(lambda *a: None)
    with pytest.raises(PortKafkaRejection) as info:
        strict(event, None)
    assert info.value.code == "invalid_signature" and info.value.rejection.offset == 102

    def boom(run, record, context):
        raise RuntimeError("downstream failed")

    with pytest.raises(RuntimeError):
        port_kafka_handler(decryptor, on_reject=lambda r: None)(boom)(event, None)
    listed = port_kafka_handler(decryptor, report_batch_item_failures=True, on_reject=lambda r: None)(boom)
    assert listed(event, None) == {"batchItemFailures": [
        {"itemIdentifier": {"partition": "port-runs-0", "offset": 100}}]}
    with pytest.raises(TypeError, match="report_batch_item_failures=True"):
        port_kafka_handler(decryptor, on_error="retry")


def test_kafka_default_report_logs_the_code_never_the_value(caplog):
    event = kafka_event("self-managed")
    port_kafka_handler(decryptor)(lambda *a: None)(event, None)
    lines = [r.getMessage() for r in caplog.records if r.name == "port_secret.kafka"]
    assert len(lines) == len(expected_rejections())
    assert any("'input': 'db_password'" in line for line in lines)
    assert not any("rotation" in line or "correct horse" in line for line in lines)
    assert KafkaRejection("expired", topic="t", partition=0, offset=1).as_dict() == \
        {"code": "expired", "topic": "t", "partition": 0, "offset": 1}
