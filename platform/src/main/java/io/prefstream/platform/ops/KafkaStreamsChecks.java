package io.prefstream.platform.ops;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * Health checks on a {@link KafkaStreams} instance (needs kafka-streams on the class path).
 *
 * <p>Readiness means "processing": only {@code RUNNING}. A rebalance makes the instance briefly
 * unready, which is what a rolling update should wait for. Liveness fails only on states a
 * Streams instance never leaves by itself ({@code ERROR}, {@code PENDING_ERROR}, and
 * {@code NOT_RUNNING}/{@code PENDING_SHUTDOWN} of an instance nobody is closing), so the kubelet
 * restarts a process whose stream threads all died instead of leaving it idle forever.
 */
public final class KafkaStreamsChecks {
    private KafkaStreamsChecks() {}

    /** Ready while the instance is {@code RUNNING}. */
    public static HealthCheck running(KafkaStreams streams) {
        return () -> {
            State state = streams.state();
            return state == State.RUNNING ? HealthCheck.Result.up("kafka streams " + state)
                : HealthCheck.Result.down("kafka streams " + state + " (ready only when RUNNING)");
        };
    }

    /**
     * Alive unless the instance has failed for good. {@code closing} tells whether the process is
     * shutting down on purpose (then {@code NOT_RUNNING} is expected, not a failure).
     */
    public static HealthCheck notFailed(KafkaStreams streams, java.util.function.BooleanSupplier closing) {
        return () -> {
            State state = streams.state();
            boolean failed = state == State.ERROR || state == State.PENDING_ERROR
                || (!closing.getAsBoolean() && (state == State.NOT_RUNNING || state == State.PENDING_SHUTDOWN));
            return failed ? HealthCheck.Result.down("kafka streams " + state + ": stream threads are gone")
                : HealthCheck.Result.up("kafka streams " + state);
        };
    }
}
