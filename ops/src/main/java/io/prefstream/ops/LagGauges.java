package io.prefstream.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Publishes the latest {@link LagReport} as gauges, so Prometheus sees what {@code lag} sees, including
 * stages whose position is not a consumer group (the sink). Names and tags are listed in docs/METRICS.md.
 * Gauges of partitions and stages that disappear from the report are removed.
 */
public final class LagGauges {
    static final String PREFIX = "prefstream.lag.";

    private final MeterRegistry registry;
    private final Map<Tags, Holder<PartitionEvaluation>> partitions = new HashMap<>();
    private final Map<Tags, Holder<StageLag>> stages = new HashMap<>();

    public LagGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Points every gauge at {@code report}. */
    public synchronized void update(LagReport report) {
        Map<Tags, PartitionEvaluation> seenPartitions = new HashMap<>();
        Map<Tags, StageLag> seenStages = new HashMap<>();
        for (StageLag stage : report.stages()) {
            Tags stageTags = Tags.of("stage", stage.stage(), "group", stage.group());
            seenStages.put(stageTags, stage);
            for (PartitionEvaluation p : stage.partitions()) {
                seenPartitions.put(stageTags.and("topic", p.topic(), "partition", Integer.toString(p.partition())), p);
            }
        }
        sync(stages, seenStages, this::stageGauges);
        sync(partitions, seenPartitions, this::partitionGauges);
    }

    private <T> void sync(Map<Tags, Holder<T>> live, Map<Tags, T> seen,
                          java.util.function.BiFunction<Tags, Holder<T>, List<Meter>> register) {
        live.entrySet().removeIf(entry -> {
            if (seen.containsKey(entry.getKey())) {
                return false;
            }
            entry.getValue().meters.forEach(registry::remove);
            return true;
        });
        seen.forEach((tags, value) -> live.computeIfAbsent(tags, t -> {
            Holder<T> holder = new Holder<>();
            holder.meters.addAll(register.apply(t, holder));
            return holder;
        }).value = value);
    }

    private List<Meter> stageGauges(Tags tags, Holder<StageLag> h) {
        return List.of(
            gauge("stage.records", "Records the stage has still to read, all partitions.", tags, h, s -> s.lag()),
            gauge("stage.status", "Stage status: 0 OK, 1 WARN, 2 ERR (worst partition).", tags, h,
                s -> s.status().ordinal()),
            gauge("stage.drain.seconds", "Estimated seconds until the stage's lag is 0; +Inf when not draining.",
                tags, h, s -> drain(s.drainSeconds(), s.lag(), s.consumeRate())));
    }

    private List<Meter> partitionGauges(Tags tags, Holder<PartitionEvaluation> h) {
        return List.of(
            gauge("records", "Records of the partition the stage has still to read (end - position).", tags, h,
                p -> p.lag()),
            gauge("position", "The stage's position: next offset it will read; NaN when it has none.", tags, h,
                p -> p.position() == null ? Double.NaN : p.position()),
            gauge("end.offset", "End offset of the partition (read_committed).", tags, h, p -> p.end()),
            gauge("consume.rate", "Records/s the stage's position advanced over the window.", tags, h,
                p -> orNaN(p.consumeRate())),
            gauge("produce.rate", "Records/s appended to the partition over the window.", tags, h,
                p -> orNaN(p.produceRate())),
            gauge("status", "Partition status: 0 OK, 1 WARN, 2 ERR.", tags, h, p -> p.status().ordinal()));
    }

    private <T> Meter gauge(String name, String description, Tags tags, Holder<T> holder, ToDoubleFunction<T> value) {
        return Gauge.builder(PREFIX + name, holder, h -> h.value == null ? Double.NaN : value.applyAsDouble(h.value))
            .description(description).tags(tags).strongReference(true).register(registry);
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static double drain(Double seconds, long lag, Double consumeRate) {
        if (seconds != null) {
            return seconds;
        }
        return lag == 0 ? 0 : consumeRate == null ? Double.NaN : Double.POSITIVE_INFINITY;
    }

    private static final class Holder<T> {
        volatile T value;
        final List<Meter> meters = new ArrayList<>();
    }
}
