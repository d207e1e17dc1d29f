package io.prefstream.consistency;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;

/**
 * Sends an input record that cannot be deserialized (poison: not Avro, unknown schema id, ...) to its
 * topic's {@code .dlq} as a {@link DeadLetter}, byte for byte with the reason, and goes on. The dead
 * letter is written by the task's own producer, so under exactly-once it commits with the offsets
 * that skip the record. Records of topics without a dead-letter topic (internal ones) still fail the
 * task. Kafka Streams creates the handler from its class name, so {@link #routing} hands it the
 * serializer and the topic map through the Streams configuration.
 */
public final class PoisonPillHandler implements DeserializationExceptionHandler {
    /** Streams configuration key holding this stage's {@link Routing} object. */
    public static final String ROUTING = "prefstream.consistency.dead.letter.routing";

    private static final Logger log = LoggerFactory.getLogger(PoisonPillHandler.class);

    private Routing routing;

    /** The dead-letter topic of each input topic, and the serializer of dead letters. */
    public record Routing(Map<String, String> deadLetterTopics, Serializer<DeadLetter> serializer) {
    }

    /** The routing for the stage's input topics. */
    public static Routing routing(Topics topics) {
        Map<String, String> dlq = new HashMap<>();
        for (Topic<?, ?> input : List.of(topics.pairsRaw(), topics.pairsLabeled(), topics.reviewVerdicts())) {
            dlq.put(input.name(), topics.dlq(input).name());
        }
        return new Routing(Map.copyOf(dlq), topics.dlq(topics.pairsRaw()).valueSerde().serializer());
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(ROUTING);
        if (!(configured instanceof Routing value)) {
            throw new IllegalArgumentException(ROUTING + " must hold a " + Routing.class.getName() + ", got " + configured);
        }
        this.routing = value;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String dlqTopic = routing.deadLetterTopics().get(record.topic());
        if (dlqTopic == null) {
            return Response.fail();
        }
        log.warn("dead-lettering undeserializable record {}-{}@{}: {}", record.topic(), record.partition(),
            record.offset(), exception.toString());
        DeadLetter letter = DeadLetter.newBuilder()
            .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
            .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
            .setSourceTopic(record.topic())
            .setPartition(record.partition())
            .setOffset(record.offset())
            .setStage(DeadLetters.STAGE)
            .setErrorClass(exception.getClass().getName())
            .setMessage("cannot deserialize the record: " + exception.getMessage())
            .setAttempts(1)
            .setTimestamp(Instant.now())
            .build();
        return Response.resume(List.of(new ProducerRecord<>(dlqTopic, record.key(),
            routing.serializer().serialize(dlqTopic, letter))));
    }
}
