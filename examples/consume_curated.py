"""Consume PrefStream's curated pairs live and print them as TRL preference rows (JSON lines).

    pip install "confluent-kafka[avro,schemaregistry]"
    python consume_curated.py --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 --max 100

Not run in CI. See docs/CURATED_TOPIC.md for the contract (key, value schema, ordering, delivery).
"""
import argparse
import json
import sys

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext


def trl_row(verdict):
    """A Verdict (as a dict) in TRL's conversational preference format, plus a few metadata fields."""
    pair = verdict["pair"]
    return {
        "prompt": [{"role": m["role"], "content": m["content"]} for m in pair["prompt"]],
        "chosen": [{"role": "assistant", "content": pair["chosen"]["text"]}],
        "rejected": [{"role": "assistant", "content": pair["rejected"]["text"]}],
        "pair_id": pair["pair_id"],
        "path": verdict["path"],
        "flipped": verdict["flipped"],
        "p_best": verdict["evidence"]["p_best"],
        "p_gold": verdict["evidence"]["p_gold"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--registry", default="http://127.0.0.1:8081")
    parser.add_argument("--topic", default="prefstream.pairs.curated")
    parser.add_argument("--group", default="prefstream-example-trainer")
    parser.add_argument("--max", type=int, default=0, help="stop after this many pairs (0: run until Ctrl-C)")
    args = parser.parse_args()

    # the deserializer fetches each record's writer schema from the registry by the id in the record
    verdicts = AvroDeserializer(schema_registry_client=SchemaRegistryClient({"url": args.registry}))
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        "isolation.level": "read_committed",  # the stages write transactionally: skip aborted records
        "auto.offset.reset": "earliest",      # a new group reads the whole (compacted) dataset
        "enable.auto.commit": False,          # commit only what was used
    })
    consumer.subscribe([args.topic])
    seen = 0
    try:
        while args.max == 0 or seen < args.max:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                print(f"consumer error: {msg.error()}", file=sys.stderr)
                continue
            if msg.value() is None:  # tombstone: the pair left the dataset
                continue
            verdict = verdicts(msg.value(), SerializationContext(msg.topic(), MessageField.VALUE))
            print(json.dumps(trl_row(verdict), ensure_ascii=False))
            seen += 1
            consumer.commit(message=msg, asynchronous=True)
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()  # commits nothing more; the offsets committed above are where the group resumes


if __name__ == "__main__":
    main()
