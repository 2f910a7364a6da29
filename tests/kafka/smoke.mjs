// Smoke check of the test broker (scripts/kafka-broker.sh) with a real Node client (kafkajs).
//
// Creates a fresh topic, produces one message with a key and a header, consumes it back in a
// consumer group, and checks it. Bootstrap from env KAFKA_BOOTSTRAP (e.g. 127.0.0.1:35505).
// kafkajs is looked up from the current directory first, then from this file's directory, so
// it can live in a throwaway install:
//
//   (cd target/kafka/node && npm install kafkajs@2.2.4)
//   cd target/kafka/node && KAFKA_BOOTSTRAP=127.0.0.1:PORT node /path/to/tests/kafka/smoke.mjs
//
// Last line "kafka-smoke: 1 passed, 0 failed" (exit 0) or "kafka-smoke: 0 passed, 1 failed"
// (exit 1). Every wait is bounded (30 s per step).
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import path from 'node:path';

const TIMEOUT_MS = 30_000;

function loadKafkajs() {
  for (const base of [path.join(process.cwd(), 'x.js'), import.meta.url]) {
    try {
      return createRequire(base)('kafkajs');
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
  throw new Error('kafkajs not found (npm install kafkajs in the current directory)');
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function roundTrip(bootstrap, topic, payload) {
  const { Kafka, Partitioners, logLevel } = loadKafkajs();
  const kafka = new Kafka({
    clientId: 'port-secret-smoke',
    brokers: bootstrap.split(','),
    logLevel: logLevel.WARN,
    retry: { retries: 5 },
  });

  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await withTimeout(
      admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true }),
      'createTopics',
    );
    if (!created) throw new Error(`topic ${topic} already existed`);
  } finally {
    await admin.disconnect();
  }

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await withTimeout(
      producer.send({ topic, acks: -1, messages: [{ key: 'k1', value: payload, headers: { h: 'v' } }] }),
      'send',
    );
  } finally {
    await producer.disconnect();
  }

  const consumer = kafka.consumer({ groupId: `smoke-${randomUUID().slice(0, 8)}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const got = new Promise((resolve, reject) => {
      consumer
        .run({
          autoCommit: true,
          eachMessage: async ({ message }) => {
            try {
              if (message.key?.toString() !== 'k1') throw new Error(`key ${message.key}`);
              if (message.headers?.h?.toString() !== 'v') throw new Error(`headers ${JSON.stringify(message.headers)}`);
              resolve(message.value.toString());
            } catch (err) {
              reject(err);
            }
          },
        })
        .catch(reject);
    });
    return await withTimeout(got, 'consume');
  } finally {
    await consumer.disconnect();
  }
}

const bootstrap = process.env.KAFKA_BOOTSTRAP;
if (!bootstrap) {
  console.error('KAFKA_BOOTSTRAP is not set (start scripts/kafka-broker.sh first)');
  process.exit(2);
}
const topic = `smoke-node-${randomUUID().slice(0, 12)}`;
const payload = `hello from node ${randomUUID()}`;
const t0 = performance.now();
try {
  const got = await roundTrip(bootstrap, topic, payload);
  if (got !== payload) throw new Error(`got ${JSON.stringify(got)}, want ${JSON.stringify(payload)}`);
  console.log(
    `ok: kafkajs created ${topic}, produced and consumed 1 message via ${bootstrap} in ` +
      `${((performance.now() - t0) / 1000).toFixed(2)}s`,
  );
  console.log('kafka-smoke: 1 passed, 0 failed');
  process.exit(0);
} catch (err) {
  console.error(`FAIL: kafkajs round trip via ${bootstrap}: ${err?.stack ?? err}`);
  console.log('kafka-smoke: 0 passed, 1 failed');
  process.exit(1);
}
