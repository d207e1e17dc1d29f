package io.prefstream.ingest.pairing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.topic.DeadLetters;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an input record of the ingest service's Streams app that cannot be deserialized (not Avro,
 * an unknown schema id: written by a foreign producer) to its topic's {@code .dlq} as a
 * {@link DeadLetter}, byte for byte with the reason, and goes on instead of stopping the app. The
 * dead letter is written by the task's own producer, so under exactly-once it commits with the
 * offset that skips the record. Records of other topics (internal ones) still fail the task. Kafka
 * Streams creates the handler from its class name, so the routing comes through the configuration.
 */
public final class PoisonInputHandler implements DeserializationExceptionHandler {
    /** Streams configuration key holding the {@link Routing}. */
    public static final String ROUTING = "prefstream.ingest.dead.letter.routing";
    static final String STAGE = "ingest";

    private static final Logger log = LoggerFactory.getLogger(PoisonInputHandler.class);

    private Routing routing;

    /** The dead-letter topic of each input topic, and the serializer of dead letters. */
    public record Routing(Map<String, String> deadLetterTopics, Serializer<DeadLetter> serializer) {
        /** The app's inputs: generations and pairs.submitted. */
        public static Routing of(Topics topics) {
            Map<String, String> deadLetterTopics = new HashMap<>();
            for (Topic<?, ?> input : inputs(topics)) {
                deadLetterTopics.put(input.name(), topics.dlq(input).name());
            }
            return new Routing(Map.copyOf(deadLetterTopics), topics.dlq(topics.generations()).valueSerde().serializer());
        }
    }

    /** The topics the app reads, whose poison records this handler dead-letters. */
    static List<Topic<?, ?>> inputs(Topics topics) {
        return List.of(topics.generations(), topics.pairsSubmitted());
    }

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(ROUTING) instanceof Routing configured)) {
            throw new IllegalArgumentException(ROUTING + " must hold a " + Routing.class.getName() + ", got "
                + configs.get(ROUTING));
        }
        this.routing = configured;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String dlq = routing.deadLetterTopics().get(record.topic());
        if (dlq == null) {
            return Response.fail();
        }
        log.warn("dead-lettering undeserializable record {}-{}@{}: {}", record.topic(), record.partition(),
            record.offset(), exception.toString());
        DeadLetter letter = DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(),
            record.value(), STAGE, new IllegalArgumentException("cannot deserialize the record: "
                + exception.getMessage(), exception), 1, Instant.now());
        return Response.resume(List.of(new ProducerRecord<>(dlq, record.key(), routing.serializer().serialize(dlq, letter))));
    }
}
