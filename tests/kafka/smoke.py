"""Smoke check of the test broker (scripts/kafka-broker.sh) with a real Python client.

Creates a fresh topic, produces one message with a key and a header, consumes it back in a
consumer group, and checks it. Uses confluent-kafka (librdkafka) when installed, else
kafka-python. Bootstrap from env KAFKA_BOOTSTRAP (e.g. 127.0.0.1:35505).

    KAFKA_BOOTSTRAP=127.0.0.1:PORT python tests/kafka/smoke.py [--client confluent|kafka-python]

Last line "kafka-smoke: 1 passed, 0 failed" (exit 0) or "kafka-smoke: 0 passed, 1 failed" (exit 1).
Every wait is bounded (30 s in total per step).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid

TIMEOUT = 30.0


def smoke_confluent(bootstrap: str, topic: str, payload: bytes) -> bytes:
    from confluent_kafka import Consumer, Producer
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    for fut in admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)],
                                   operation_timeout=TIMEOUT).values():
        fut.result(timeout=TIMEOUT)

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    errors: list[object] = []
    producer.produce(topic, key=b"k1", value=payload, headers=[("h", b"v")],
                     on_delivery=lambda err, _msg: err and errors.append(err))
    if producer.flush(TIMEOUT) != 0 or errors:
        raise RuntimeError(f"produce failed: {errors or 'flush timed out'}")

    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": f"smoke-{uuid.uuid4().hex[:8]}",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    try:
        consumer.subscribe([topic])
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                raise RuntimeError(f"consume failed: {msg.error()}")
            assert msg.key() == b"k1", msg.key()
            assert dict(msg.headers() or []) == {"h": b"v"}, msg.headers()
            consumer.commit(message=msg, asynchronous=False)
            return msg.value()
        raise TimeoutError(f"no message on {topic} within {TIMEOUT}s")
    finally:
        consumer.close()


def smoke_kafka_python(bootstrap: str, topic: str, payload: bytes) -> bytes:
    from kafka import KafkaConsumer, KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(TIMEOUT * 1000))
    try:
        admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        admin.close()

    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    producer.send(topic, key=b"k1", value=payload, headers=[("h", b"v")]).get(timeout=TIMEOUT)
    producer.close()

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"smoke-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=int(TIMEOUT * 1000),
    )
    try:
        for msg in consumer:
            assert msg.key == b"k1", msg.key
            assert dict(msg.headers) == {"h": b"v"}, msg.headers
            consumer.commit()
            return msg.value
        raise TimeoutError(f"no message on {topic} within {TIMEOUT}s")
    finally:
        consumer.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", choices=["confluent", "kafka-python"])
    args = parser.parse_args()
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP")
    if not bootstrap:
        print("KAFKA_BOOTSTRAP is not set (start scripts/kafka-broker.sh first)", file=sys.stderr)
        return 2
    client = args.client
    if client is None:
        try:
            import confluent_kafka  # noqa: F401
            client = "confluent"
        except ImportError:
            client = "kafka-python"

    topic = f"smoke-py-{uuid.uuid4().hex[:12]}"
    payload = f"hello from python {uuid.uuid4()}".encode()
    t0 = time.monotonic()
    fn = smoke_confluent if client == "confluent" else smoke_kafka_python
    try:
        got = fn(bootstrap, topic, payload)
        assert got == payload, (got, payload)
    except Exception as exc:  # noqa: BLE001
        print(f"FAIL: {client} round trip via {bootstrap}: {exc!r}", file=sys.stderr)
        print("kafka-smoke: 0 passed, 1 failed")
        return 1
    print(f"ok: {client} created {topic}, produced and consumed 1 message via {bootstrap} "
          f"in {time.monotonic() - t0:.2f}s")
    print("kafka-smoke: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
