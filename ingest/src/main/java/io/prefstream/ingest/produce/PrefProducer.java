package io.prefstream.ingest.produce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.Problems;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.platform.ops.ClientMetrics;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.PreferencePair;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends {@link Generation} and {@link PreferencePair} records to their topics, keyed as DESIGN.md
 * says (generations by {@code prompt_id}, pairs by {@code pair_id}), from drafts or from ready Avro
 * records. Every record is validated first, and its ids are computed (drafts) or checked (Avro
 * records) over its exact texts; an invalid record throws {@link InvalidRecordException} and is not
 * sent. The returned future completes only when the broker has acknowledged the record: the
 * producer is idempotent with {@code acks=all} (see {@link PrefProducers}).
 */
public final class PrefProducer implements AutoCloseable {
    private final Producer<String, SpecificRecord> producer;
    private final String generationsTopic;
    private final String pairsTopic;
    private final RecordBuilder builder;
    private final Validator validator;

    public PrefProducer(Producer<String, SpecificRecord> producer, String generationsTopic, String pairsTopic,
                        RecordBuilder builder) {
        this.producer = producer;
        this.generationsTopic = generationsTopic;
        this.pairsTopic = pairsTopic;
        this.builder = builder;
        this.validator = builder.validator();
    }

    /** Validates drafts and builds records without sending them, as {@link #send} does first. */
    public RecordBuilder builder() {
        return builder;
    }

    public String generationsTopic() {
        return generationsTopic;
    }

    /**
     * Where pairs go: pairs.submitted, from which the ingest service's Streams app ({@code run pairing})
     * forwards each pair_id once per retention to pairs.raw.
     */
    public String pairsTopic() {
        return pairsTopic;
    }

    public CompletableFuture<Accepted> send(GenerationDraft draft, String source, Map<String, String> metadata)
        throws InvalidRecordException {
        return write(builder.generation(draft, source, metadata));
    }

    public CompletableFuture<Accepted> send(PairDraft draft, String source, Map<String, String> metadata)
        throws InvalidRecordException {
        return write(builder.pair(draft, source, metadata));
    }

    /**
     * Sends a ready {@link Generation} or {@link PreferencePair} after checking its content and that
     * its ids match it.
     */
    public CompletableFuture<Accepted> send(SpecificRecord record) throws InvalidRecordException {
        check(record);
        return write(record);
    }

    /**
     * Sends ready records (e.g. built by {@link #builder()}) after checking all of them, so an
     * invalid one throws before any is sent. The future completes when every one is acknowledged,
     * or fails with the first failure (others may still have been written: ids make a retry safe).
     */
    public CompletableFuture<List<Accepted>> sendAll(List<? extends SpecificRecord> records) throws InvalidRecordException {
        for (SpecificRecord record : records) {
            check(record);
        }
        List<CompletableFuture<Accepted>> sends = new ArrayList<>(records.size());
        for (SpecificRecord record : records) {
            CompletableFuture<Accepted> send = write(record);
            sends.add(send);
            if (send.isCompletedExceptionally()) {
                break; // refused before reaching the network (no metadata, registry down): the rest would be too
            }
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
            .thenApply(done -> sends.stream().map(CompletableFuture::join).toList());
    }

    private void check(SpecificRecord record) throws InvalidRecordException {
        if (record instanceof Generation generation) {
            check(generation);
        } else if (record instanceof PreferencePair pair) {
            check(pair);
        } else {
            throw new IllegalArgumentException("not a Generation or PreferencePair: " + record.getClass().getName());
        }
    }

    private void check(Generation generation) throws InvalidRecordException {
        validator.check(new GenerationDraft(turns(generation.getPrompt()), generation.getResponse(), generation.getGenerator()));
        Problems problems = new Problems();
        String promptId = checkId(problems, "prompt_id", generation.getPromptId(), PrefIds.promptId(generation.getPrompt()));
        checkId(problems, "response_id", generation.getResponseId(), PrefIds.responseId(promptId, generation.getResponse()));
        problems.throwIfAny();
    }

    private void check(PreferencePair pair) throws InvalidRecordException {
        validator.check(new PairDraft(turns(pair.getPrompt()), pair.getChosen().getText(), pair.getRejected().getText(),
            pair.getLabelSource().name().toLowerCase(Locale.ROOT)));
        Problems problems = new Problems();
        String promptId = checkId(problems, "prompt_id", pair.getPromptId(), PrefIds.promptId(pair.getPrompt()));
        String chosen = checkId(problems, "chosen.response_id", pair.getChosen().getResponseId(),
            PrefIds.responseId(promptId, pair.getChosen().getText()));
        String rejected = checkId(problems, "rejected.response_id", pair.getRejected().getResponseId(),
            PrefIds.responseId(promptId, pair.getRejected().getText()));
        checkId(problems, "pair_id", pair.getPairId(), PrefIds.pairId(promptId, chosen, rejected));
        problems.throwIfAny();
    }

    /** Generations go to their topic keyed by prompt_id, pairs keyed by pair_id. */
    private CompletableFuture<Accepted> write(SpecificRecord record) {
        ProducerRecord<String, SpecificRecord> message = record instanceof Generation generation
            ? new ProducerRecord<>(generationsTopic, generation.getPromptId(), record)
            : new ProducerRecord<>(pairsTopic, ((PreferencePair) record).getPairId(), record);
        CompletableFuture<Accepted> acked = new CompletableFuture<>();
        try {
            producer.send(message, (metadata, error) -> {
                if (error == null) {
                    acked.complete(new Accepted(record, metadata));
                } else {
                    acked.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            // serialization (registry unreachable), metadata timeout, closed producer: not written
            acked.completeExceptionally(e);
        }
        return acked;
    }

    private static String checkId(Problems problems, String field, String given, String expected) {
        if (!expected.equals(given)) {
            problems.add(field, "does not match the content (expected " + expected + ")");
        }
        return expected;
    }

    private static List<Turn> turns(List<Message> messages) {
        return messages.stream().map(m -> new Turn(m.getRole() == null ? null : m.getRole().name(), m.getContent())).toList();
    }

    /** Exports the producer's metrics ({@code kafka.producer.*}) into {@code registry}; close the result first. */
    public KafkaClientMetrics bindMetrics(MeterRegistry registry) {
        return ClientMetrics.bind(producer, registry);
    }

    /** Waits until every record sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
