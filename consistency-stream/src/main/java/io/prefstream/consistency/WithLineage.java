package io.prefstream.consistency;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import io.prefstream.schemas.Lineage;

/** Attaches the source topic, partition and offset of each input record to its value. */
final class WithLineage<T> implements FixedKeyProcessor<String, T, Sourced<T>> {
    private FixedKeyProcessorContext<String, Sourced<T>> context;

    @Override
    public void init(FixedKeyProcessorContext<String, Sourced<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, T> record) {
        RecordMetadata source = context.recordMetadata()
            .orElseThrow(() -> new IllegalStateException("a source record has no topic/partition/offset"));
        Lineage lineage = new Lineage(source.topic(), source.partition(), source.offset());
        context.forward(record.withValue(new Sourced<>(record.value(), lineage)));
    }
}
