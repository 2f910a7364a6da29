"""port_secret.kafka: bytes in, run out. Through a real broker (scripts/kafka-broker.sh; the
suite's script exports KAFKA_BOOTSTRAP): signed Port messages and every bad one, produced with
confluent-kafka, consumed with confluent-kafka and with kafka-python through the helper. Without
a broker those tests skip; the message-shape tests below run anyway."""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import pytest

from port_secret import Decryptor, PortSecretError
from port_secret.kafka import KafkaRejection, MessageOpener, PortKafkaRejection, open_message
from portcases import PRIVATE_KEY, SECRET, expected_run_message, kafka_cases

KAFKA = kafka_cases()
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP")
TIMEOUT = 30.0
decryptor = Decryptor(client_secret=SECRET, private_key=PRIVATE_KEY)
broker = pytest.mark.skipif(not BOOTSTRAP, reason="no broker: KAFKA_BOOTSTRAP is not set")


def expected():
    """{offset: (code, input)} of the rejected cases; offset = index on a one-partition topic."""
    return {i: (want["error"], want.get("input")) for i, (_, _, want) in enumerate(KAFKA) if want}


@pytest.fixture(scope="module")
def topic():
    """A fresh topic holding every case, in order, produced with confluent-kafka."""
    from confluent_kafka import Producer
    from confluent_kafka.admin import AdminClient, NewTopic

    name = f"port-runs-{uuid.uuid4().hex[:10]}"
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    topic_config = {"max.message.bytes": str(4 * 1024 * 1024)}  # the oversize case is over 1 MiB
    for fut in admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1, config=topic_config)],
                                   operation_timeout=TIMEOUT).values():
        fut.result(timeout=TIMEOUT)
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "acks": "all",
                         "message.max.bytes": 4 * 1024 * 1024})
    errors = []
    for case, value, _ in KAFKA:
        producer.produce(name, key=case.encode(), value=value,
                         on_delivery=lambda err, _m: err and errors.append(err))
    assert producer.flush(TIMEOUT) == 0 and not errors, errors
    return name


@broker
def test_confluent_kafka_consumer_loop(topic):
    from confluent_kafka import Consumer

    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"g-{uuid.uuid4().hex[:8]}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    rejected: list[KafkaRejection] = []
    opener = MessageOpener(decryptor, on_reject=rejected.append)
    runs, seen = [], 0
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + TIMEOUT
        while seen < len(KAFKA) and time.monotonic() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            seen += 1
            run = opener.open(msg)  # never raises for a bad message by default
            if run is not None:
                runs.append((msg.offset(), run))
            consumer.commit(message=msg, asynchronous=False)
    finally:
        consumer.close()
    assert seen == len(KAFKA)
    assert [o for o, _ in runs] == [0] and expected_run_message(runs[0][1])
    assert {r.offset: (r.code, r.input) for r in rejected} == expected()
    assert {r.topic for r in rejected} == {topic} and {r.partition for r in rejected} == {0}


@broker
def test_confluent_kafka_on_error_raise(topic):
    from confluent_kafka import Consumer

    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"g-{uuid.uuid4().hex[:8]}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    opener = MessageOpener(decryptor, on_error="raise", on_reject=lambda r: None)
    raised = {}
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + TIMEOUT
        while len(raised) + 1 < len(KAFKA) and time.monotonic() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            try:
                opener.open(msg)
            except PortKafkaRejection as err:  # a PortSecretError with the message's coordinates
                raised[err.rejection.offset] = (err.code, err.input)
    finally:
        consumer.close()
    assert raised == expected()


@broker
def test_kafka_python_consumer_iterator(topic):
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(topic, bootstrap_servers=BOOTSTRAP, group_id=f"g-{uuid.uuid4().hex[:8]}",
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             consumer_timeout_ms=int(TIMEOUT * 1000), fetch_max_bytes=8 * 1024 * 1024,
                             max_partition_fetch_bytes=8 * 1024 * 1024)
    rejected: list[KafkaRejection] = []
    opener = MessageOpener(decryptor, on_reject=rejected.append)

    def until_last(messages):
        for msg in messages:
            yield msg
            if msg.offset >= len(KAFKA) - 1:
                return

    try:
        runs = [(msg.offset, run) for run, msg in opener.runs(until_last(consumer))]
    finally:
        consumer.close()
    assert [o for o, _ in runs] == [0] and expected_run_message(runs[0][1])
    assert {r.offset: (r.code, r.input) for r in rejected} == expected()


# --- message shapes, no broker ----------------------------------------------------------------


class ConfluentLike:
    """confluent_kafka.Message's accessors are methods."""

    def __init__(self, value, offset):
        self._value, self._offset = value, offset

    def value(self):
        return self._value

    def topic(self):
        return "t"

    def partition(self):
        return 3

    def offset(self):
        return self._offset

    def error(self):
        return None


class RecordLike:
    """kafka-python's ConsumerRecord and aiokafka's ConsumerRecord: attributes."""

    def __init__(self, value, offset):
        self.value, self.offset, self.topic, self.partition = value, offset, "t", 3


@pytest.mark.parametrize("shape", [ConfluentLike, RecordLike, None], ids=["confluent", "record", "bytes"])
def test_each_case_in_each_message_shape(shape):
    for i, (name, value, want) in enumerate(KAFKA):
        seen = []
        message = value if shape is None else shape(value, i)
        run = open_message(decryptor, message, on_reject=seen.append)
        if want is None:
            assert expected_run_message(run) and not seen, name
            continue
        assert run is None, name
        where = (None, None, None) if shape is None else ("t", 3, i)
        assert [(r.code, r.input, r.topic, r.partition, r.offset) for r in seen] == \
            [(want["error"], want.get("input"), *where)], name


def test_raise_is_a_port_secret_error_and_async_forms():
    bad = dict((n, v) for n, v, _ in KAFKA)["bad_secret_input"]
    with pytest.raises(PortSecretError) as info:
        open_message(decryptor, RecordLike(bad, 7), on_error="raise", on_reject=lambda r: None)
    assert isinstance(info.value, PortKafkaRejection)
    assert (info.value.code, info.value.input, info.value.rejection.offset) == ("authentication_failed",
                                                                                "db_password", 7)
    assert "correct horse" not in str(info.value) and "db_password" in str(info.value)

    async def stream():
        for i, (_, value, _) in enumerate(KAFKA):
            yield RecordLike(value, i)

    async def consume():
        opener = MessageOpener(decryptor, on_reject=lambda r: None)
        return [(msg.offset, run) async for run, msg in opener.aruns(stream())]

    runs = asyncio.run(consume())
    assert [o for o, _ in runs] == [0] and expected_run_message(runs[0][1])


def test_bad_options_raise_when_made():
    with pytest.raises(TypeError, match="on_error"):
        MessageOpener(decryptor, on_error="retry")
    with pytest.raises(TypeError, match="MessageOpener: .*pointer"):
        MessageOpener(decryptor, user_inputs_pointer="x")
