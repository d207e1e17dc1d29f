package io.prefstream.ops;

import java.util.Comparator;
import java.util.List;

/**
 * The lag of one stage: a consumer group (or a {@link PositionSource}) over all its partitions. Totals
 * add up the partitions; the stage drains when its slowest partition does, so {@code drainSeconds} is
 * the partitions' maximum (null when any lagging partition is not draining). The status is the worst
 * partition's, and {@code condition}/{@code detail} are that partition's.
 *
 * @param kind    {@code consumer-group}, {@code streams-group} or {@code position-source}
 * @param state   the group's state as the coordinator reports it (STABLE, EMPTY, ...); null for a position source
 * @param members active members; null for a position source
 */
public record StageLag(
    String stage,
    String group,
    String kind,
    String state,
    Integer members,
    long lag,
    Double consumeRate,
    Double produceRate,
    Double drainSeconds,
    Status status,
    Condition condition,
    String detail,
    List<PartitionEvaluation> partitions) {

    public static final String CONSUMER_GROUP = "consumer-group";
    public static final String STREAMS_GROUP = "streams-group";
    public static final String POSITION_SOURCE = "position-source";

    static StageLag of(String stage, String group, String kind, String state, Integer members,
                       List<PartitionEvaluation> partitions) {
        List<PartitionEvaluation> sorted = partitions.stream()
            .sorted(Comparator.comparing(PartitionEvaluation::topic).thenComparingInt(PartitionEvaluation::partition))
            .toList();
        long lag = sorted.stream().mapToLong(PartitionEvaluation::lag).sum();
        Double consume = sum(sorted.stream().map(PartitionEvaluation::consumeRate).toList());
        Double produce = sum(sorted.stream().map(PartitionEvaluation::produceRate).toList());
        Double drain = 0.0;
        for (PartitionEvaluation partition : sorted) {
            if (partition.drainSeconds() == null) {
                drain = null;
                break;
            }
            drain = Math.max(drain, partition.drainSeconds());
        }
        PartitionEvaluation worst = sorted.stream()
            .max(Comparator.comparing(PartitionEvaluation::status).thenComparing(PartitionEvaluation::condition))
            .orElse(null);
        Status status = worst == null ? Status.OK : worst.status();
        Condition condition = worst == null ? Condition.CAUGHT_UP : worst.condition();
        String detail = worst == null ? "no partitions with a position"
            : worst.topic() + "-" + worst.partition() + ": " + worst.detail();
        return new StageLag(stage, group, kind, state, members, lag, consume, produce, drain, status, condition,
            detail, sorted);
    }

    private static Double sum(List<Double> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v == null)) {
            return null;
        }
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }
}
