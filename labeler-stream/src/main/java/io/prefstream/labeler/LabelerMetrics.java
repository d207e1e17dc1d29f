package io.prefstream.labeler;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.prefstream.labeler.answer.InvalidReason;
import io.prefstream.schemas.Preference;

/**
 * The labeller's Micrometer meters, all named {@code prefstream.labeler.*}. Pending size and in-flight
 * calls are the async processor's gauges ({@code prefstream.async.pending.records}, {@code .pending.bytes},
 * {@code .in.flight}, tagged {@code processor=labeler}), in the same registry. Judge requests are not
 * batched by the client (vLLM batches continuously on the server), so batch fill is the inference
 * client's and the server's to report.
 */
public final class LabelerMetrics {
    static final String PREFIX = "prefstream.labeler.";

    private final MeterRegistry registry;
    private final Counter recordsIn;
    private final Counter recordsOut;

    public LabelerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.recordsIn = Counter.builder(PREFIX + "records.in").description("Pairs read from pairs.adjudicate.")
            .register(registry);
        this.recordsOut = Counter.builder(PREFIX + "records.out").description("Labelled pairs written to pairs.labeled.")
            .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void recordIn() {
        recordsIn.increment();
    }

    void recordOut() {
        recordsOut.increment();
    }

    /** One vote written, by judge model and preference (CHOSEN, REJECTED). */
    void vote(String model, Preference preferred) {
        Counter.builder(PREFIX + "votes").description("Votes in labelled pairs, by judge model and preference.")
            .tags("model", model, "preferred", preferred.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    /** One pair dead-lettered, by reason (see {@link DeadLetterReason}). */
    void deadLetter(DeadLetterReason reason) {
        Counter.builder(PREFIX + "dlq").description("Pairs sent to the dead-letter topic, by reason.")
            .tags("reason", reason.tag()).register(registry).increment();
    }

    /** One judge answer rejected by validation (and asked again while retries remain). */
    public void invalidAnswer(String model, String question, InvalidReason reason) {
        Counter.builder(PREFIX + "invalid.answers").description("Judge answers that failed validation, by reason.")
            .tags("model", model, "question", question, "reason", reason.tag()).register(registry).increment();
    }

    /** Latency of one judge generation, by model and question kind (attributes, vote). */
    public void judgeLatency(String model, String question, Duration latency) {
        Timer.builder(PREFIX + "judge.latency").description("Judge generation latency, request to answer.")
            .tags("model", model, "question", question).publishPercentileHistogram(false).register(registry)
            .record(latency);
    }
}
