package io.prefstream.ingest.produce;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** A record the broker has acknowledged (acks=all): what was written, and where. */
public record Accepted(SpecificRecord record, RecordMetadata metadata) {
}
