#!/usr/bin/env node
// Third-party interoperability check for PrefStream topics.
//
// Reads a topic from the beginning with kafkajs and decodes every record with
// @kafkajs/confluent-schema-registry, given nothing but the registry URL: the schema of each record
// is fetched by the id in its Confluent wire-format header. Neither library knows about PrefStream,
// so if both work, any Confluent client can read PrefStream's topics.
//
//   node check.js --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 --topic prefstream.pairs.raw
//   node check.js --bootstrap ... --registry ... --topic some-new-topic --self-test
//
// --self-test first registers a schema through the third-party client, produces a few Avro records
// with it, then runs the same check (and also compares the decoded values with what was sent).
// Ends with one line "decoded=N failed=M"; exits 1 if anything failed or nothing was decoded.
'use strict';

const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const USAGE = 'usage: node check.js --bootstrap HOST:PORT --registry URL --topic NAME '
  + '[--self-test] [--basic-auth USER:PASSWORD] [--timeout-ms N] [--verbose]';

function parseArgs(argv) {
  const args = { selfTest: false, verbose: false, timeoutMs: 60000 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${name} needs a value\n${USAGE}`);
      return argv[++i];
    };
    switch (name) {
      case '--bootstrap': args.bootstrap = value(); break;
      case '--registry': args.registry = value(); break;
      case '--topic': args.topic = value(); break;
      case '--basic-auth': args.basicAuth = value(); break;
      case '--timeout-ms': args.timeoutMs = Number(value()); break;
      case '--self-test': args.selfTest = true; break;
      case '--verbose': args.verbose = true; break;
      case '--help': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown argument ${name}\n${USAGE}`);
    }
  }
  for (const required of ['bootstrap', 'registry', 'topic']) {
    if (!args[required]) throw new Error(`--${required} is required\n${USAGE}`);
  }
  return args;
}

function registryClient(args) {
  const options = { host: args.registry };
  if (args.basicAuth) {
    const colon = args.basicAuth.indexOf(':');
    options.auth = { username: args.basicAuth.slice(0, colon), password: args.basicAuth.slice(colon + 1) };
  }
  return new SchemaRegistry(options);
}

const SELF_TEST_SCHEMA = {
  type: 'record',
  name: 'ThirdPartyCheck',
  namespace: 'io.prefstream.check',
  doc: 'Written by the third-party check to prove registry interoperability.',
  fields: [
    { name: 'id', type: 'string', doc: 'Record number.' },
    { name: 'text', type: 'string', doc: 'Some text.' },
    { name: 'score', type: ['null', 'double'], default: null, doc: 'An optional number.' },
  ],
};

/** Registers a schema through the third-party client and produces a few records with it. */
async function produceSelfTestRecords(kafka, registry, topic) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();

  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(SELF_TEST_SCHEMA) },
    { subject: `${topic}-value` },
  );
  console.log(`self-test: registered subject ${topic}-value as schema id ${id}`);
  const sent = [];
  for (let i = 0; i < 5; i++) {
    sent.push({ id: `r${i}`, text: `record number ${i} ✓`, score: i % 2 === 0 ? i / 3 : null });
  }
  const producer = kafka.producer({
    idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const messages = [];
  for (const value of sent) {
    messages.push({ key: value.id, value: await registry.encode(id, value) });
  }
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
  console.log(`self-test: produced ${sent.length} records to ${topic}`);
  return new Map(sent.map(value => [value.id, value]));
}

/** Consumes the topic up to the end offsets seen at start and decodes every record. */
async function decodeTopic(kafka, registry, topic, timeoutMs, expected) {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map();
  for (const { partition, low, high } of offsets) {
    if (BigInt(high) > BigInt(low)) remaining.set(partition, BigInt(high));
  }
  const total = offsets.reduce((sum, { low, high }) => sum + Number(BigInt(high) - BigInt(low)), 0);
  console.log(`topic ${topic}: ${offsets.length} partition(s), ${total} record(s) to decode`);

  let decoded = 0;
  let failed = 0;
  const failures = [];
  if (remaining.size > 0) {
    const consumer = kafka.consumer({ groupId: `prefstream-third-party-check-${process.pid}-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `timed out after ${timeoutMs} ms with ${decoded + failed} of ${total} records read`)), timeoutMs);
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          const end = remaining.get(partition);
          if (end === undefined || BigInt(message.offset) >= end) return;
          try {
            const value = await registry.decode(message.value);
            const want = expected && expected.get(value.id);
            if (expected && JSON.stringify(want) !== JSON.stringify(value)) {
              throw new Error(`decoded ${JSON.stringify(value)} but sent ${JSON.stringify(want)}`);
            }
            decoded++;
          } catch (error) {
            failed++;
            if (failures.length < 10) failures.push(`partition ${partition} offset ${message.offset}: ${error.message}`);
          }
          if (BigInt(message.offset) + 1n >= end) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    }).finally(() => consumer.disconnect());
  }
  failures.forEach(failure => console.log(`failed: ${failure}`));
  return { decoded, failed };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const kafka = new Kafka({
    clientId: 'prefstream-third-party-check',
    brokers: args.bootstrap.split(','),
    // kafkajs logs retried, harmless errors (e.g. "group coordinator not available" on a fresh
    // broker); real failures surface as exceptions anyway.
    logLevel: args.verbose ? logLevel.INFO : logLevel.NOTHING,
  });
  const registry = registryClient(args);
  const expected = args.selfTest ? await produceSelfTestRecords(kafka, registry, args.topic) : null;
  const { decoded, failed } = await decodeTopic(kafka, registry, args.topic, args.timeoutMs, expected);
  console.log(`decoded=${decoded} failed=${failed}`);
  return failed > 0 || decoded === 0 ? 1 : 0;
}

main().then(code => process.exit(code), error => {
  console.error(`third-party check failed: ${error.stack || error}`);
  process.exit(2);
});
