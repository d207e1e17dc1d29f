package io.prefstream.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Samples every selected stage's position against the partitions' log start and end offsets with the
 * Admin client, keeps a sliding window of samples per stage and partition, and evaluates them with a
 * {@link LagEvaluator}. Stages are consumer groups (Kafka Streams application ids are group ids;
 * classic, consumer and streams group protocols alike) plus any {@link PositionSource}s; a source replaces
 * its own groups and the group of the same stage name (the sink's groups share partitions and carry
 * position hints; its positions are in the table).
 *
 * <p>End offsets are read with {@code read_committed}, as the stages read: records of open
 * transactions are not lag yet. Not thread-safe: one caller samples.
 */
public final class LagMonitor {
    private static final Set<GroupType> READABLE_TYPES = Set.of(GroupType.CONSUMER, GroupType.CLASSIC, GroupType.STREAMS);

    private final Admin admin;
    private final Predicate<String> groupFilter;
    private final Function<String, String> stageName;
    private final List<PositionSource> sources;
    private final LagEvaluator evaluator;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Map<TopicPartition, Deque<PartitionSample>>> windows = new HashMap<>();
    private int samples;

    /**
     * @param groupFilter which group ids are stages
     * @param stageName   the stage name shown for a group id (e.g. the id without its {@code prefstream-} prefix)
     */
    public LagMonitor(Admin admin, Predicate<String> groupFilter, Function<String, String> stageName,
                      List<PositionSource> sources, LagEvaluator evaluator, Clock clock, Duration timeout) {
        this.admin = admin;
        this.groupFilter = groupFilter;
        this.stageName = stageName;
        this.sources = List.copyOf(sources);
        this.evaluator = evaluator;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Groups whose id starts with {@code prefix}; the stage name is the rest of the id. */
    public static LagMonitor forPrefix(Admin admin, String prefix, List<PositionSource> sources, LagEvaluator evaluator,
                                       Duration timeout) {
        return new LagMonitor(admin, id -> id.startsWith(prefix),
            id -> id.length() > prefix.length() ? id.substring(prefix.length()) : id,
            sources, evaluator, Clock.systemUTC(), timeout);
    }

    /** Takes one sample of every stage and returns the evaluation of the windows so far. */
    public LagReport sample() {
        long now = clock.millis();
        List<GroupListing> groups = get(admin.listGroups().all(), "list groups").stream()
            .filter(g -> g.type().map(READABLE_TYPES::contains).orElse(true))
            .filter(g -> groupFilter.test(g.groupId()))
            .sorted(Comparator.comparing(GroupListing::groupId))
            .toList();

        Map<String, Observed> observed = new LinkedHashMap<>();
        observeGroups(groups, observed);
        for (PositionSource source : sources) {
            // the source is the truth for its stage: its own groups (the sink's share partitions and carry
            // position hints) and a group of the same stage name are not stages of their own
            observed.values().removeIf(group -> group.stage.equals(source.stage())
                || (group.group != null && source.groups().contains(group.group)));
            Map<TopicPartition, Long> positions = positionsOf(source, committedOffsets(source.groups()));
            observed.put("source:" + source.stage(), new Observed(source.stage(), source.stage(),
                StageLag.POSITION_SOURCE, null, null, positions, topicsOf(positions.keySet())));
        }

        Set<TopicPartition> partitions = allPartitionsOf(observed.values());
        Map<TopicPartition, Long> logStarts = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());

        windows.keySet().retainAll(observed.keySet());
        List<StageLag> stages = new ArrayList<>();
        long span = 0;
        for (Map.Entry<String, Observed> entry : observed.entrySet()) {
            Observed stage = entry.getValue();
            Map<TopicPartition, Deque<PartitionSample>> stageWindows =
                windows.computeIfAbsent(entry.getKey(), k -> new HashMap<>());
            List<PartitionEvaluation> evaluations = new ArrayList<>();
            for (TopicPartition tp : partitionsOf(stage, partitions)) {
                Long logStart = logStarts.get(tp);
                Long end = ends.get(tp);
                if (logStart == null || end == null) {
                    continue; // topic deleted between listing and reading offsets: nothing to judge
                }
                Deque<PartitionSample> window = stageWindows.computeIfAbsent(tp, k -> new ArrayDeque<>());
                window.addLast(new PartitionSample(now, stage.positions.get(tp), logStart, end));
                while (window.size() > evaluator.windowSize()) {
                    window.removeFirst();
                }
                span = Math.max(span, now - window.peekFirst().atMillis());
                evaluations.add(evaluator.evaluate(tp.topic(), tp.partition(), List.copyOf(window)));
            }
            stages.add(StageLag.of(stage.stage, stage.group, stage.kind, stage.state, stage.members, evaluations));
        }
        samples = Math.min(samples + 1, evaluator.windowSize());
        return LagReport.of(Instant.ofEpochMilli(now), samples, evaluator.windowSize(), span, stages);
    }

    private static Map<TopicPartition, Long> positionsOf(PositionSource source,
                                                        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed) {
        try {
            return Map.copyOf(source.positions(committed));
        } catch (RuntimeException e) {
            throw new KafkaException("cannot read the positions of stage " + source.stage() + ": " + e, e);
        }
    }

    /** Committed offsets of {@code groupIds}, whatever their type; a group that does not exist has none. */
    private Map<String, Map<TopicPartition, OffsetAndMetadata>> committedOffsets(Set<String> groupIds) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        if (groupIds.isEmpty()) {
            return committed;
        }
        var result = admin.listConsumerGroupOffsets(groupIds.stream()
            .collect(Collectors.toMap(id -> id, id -> new ListConsumerGroupOffsetsSpec())));
        for (String id : groupIds) {
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                // a partition without a committed offset maps to null
                result.partitionsToOffsetAndMetadata(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, offset) -> {
                        if (offset != null) {
                            offsets.put(tp, offset);
                        }
                    });
                committed.put(id, offsets);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw failure("read the offsets of group " + id, e);
                }
            } catch (InterruptedException | TimeoutException e) {
                throw failure("read the offsets of group " + id, e);
            }
        }
        return committed;
    }

    /** @param topics the topics the stage reads: those it has positions on and those assigned to its members */
    private record Observed(String stage, String group, String kind, String state, Integer members,
                            Map<TopicPartition, Long> positions, Set<String> topics) {}

    private static Set<String> topicsOf(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
    }

    private void observeGroups(List<GroupListing> groups, Map<String, Observed> observed) {
        List<String> streamsIds = groups.stream().filter(g -> g.type().orElse(null) == GroupType.STREAMS)
            .map(GroupListing::groupId).toList();
        List<String> consumerIds = groups.stream().map(GroupListing::groupId)
            .filter(id -> !streamsIds.contains(id)).toList();

        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        if (!consumerIds.isEmpty()) {
            committed.putAll(get(admin.listConsumerGroupOffsets(consumerIds.stream()
                .collect(Collectors.toMap(id -> id, id -> new ListConsumerGroupOffsetsSpec()))).all(), "read group offsets"));
        }
        if (!streamsIds.isEmpty()) {
            committed.putAll(get(admin.listStreamsGroupOffsets(streamsIds.stream()
                .collect(Collectors.toMap(id -> id, id -> new ListStreamsGroupOffsetsSpec()))).all(),
                "read streams group offsets"));
        }
        Map<String, ConsumerGroupDescription> consumerGroups = consumerIds.isEmpty() ? Map.of()
            : get(admin.describeConsumerGroups(consumerIds).all(), "describe groups");
        Map<String, StreamsGroupDescription> streamsGroups = streamsIds.isEmpty() ? Map.of()
            : get(admin.describeStreamsGroups(streamsIds).all(), "describe streams groups");

        for (GroupListing group : groups) {
            String id = group.groupId();
            Map<TopicPartition, Long> positions = new HashMap<>();
            committed.getOrDefault(id, Map.of()).forEach((tp, offset) -> {
                if (offset != null) {
                    positions.put(tp, offset.offset());
                }
            });
            String state;
            int members;
            String kind;
            Set<String> topics = new HashSet<>(topicsOf(positions.keySet()));
            if (streamsGroups.containsKey(id)) {
                StreamsGroupDescription description = streamsGroups.get(id);
                state = description.groupState().name();
                members = description.members().size();
                kind = StageLag.STREAMS_GROUP;
            } else {
                ConsumerGroupDescription description = consumerGroups.get(id);
                state = description == null ? "UNKNOWN" : description.groupState().name();
                members = description == null ? 0 : description.members().size();
                kind = StageLag.CONSUMER_GROUP;
                if (description != null) {
                    // a stage that holds partitions but never committed (stuck before its first commit) is
                    // judged on them too, rather than shown with no partitions at all
                    description.members().forEach(m -> topics.addAll(topicsOf(m.assignment().topicPartitions())));
                }
            }
            observed.put("group:" + id, new Observed(stageName.apply(id), id, kind, state, members, positions, topics));
        }
    }

    /**
     * Every partition of every topic a stage reads, so a partition the stage never committed on (while its
     * sibling partitions were, or while a member is assigned it) still shows up, as NO_COMMIT.
     */
    private Set<TopicPartition> allPartitionsOf(Collection<Observed> stages) {
        Set<String> topics = stages.stream().flatMap(s -> s.topics.stream()).collect(Collectors.toSet());
        Set<TopicPartition> partitions = new HashSet<>();
        if (topics.isEmpty()) {
            return partitions;
        }
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
            try {
                TopicDescription description = topic.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                description.partitions().forEach(p -> partitions.add(new TopicPartition(topic.getKey(), p.partition())));
            } catch (ExecutionException e) {
                // deleted topic: its stale commits are not lag
            } catch (InterruptedException | TimeoutException e) {
                throw failure("describe topic " + topic.getKey(), e);
            }
        }
        return partitions;
    }

    private static List<TopicPartition> partitionsOf(Observed stage, Set<TopicPartition> all) {
        return all.stream().filter(tp -> stage.topics.contains(tp.topic()))
            .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
            .toList();
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (partitions.isEmpty()) {
            return offsets;
        }
        var result = admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)),
            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
        for (TopicPartition tp : partitions) {
            try {
                offsets.put(tp, result.partitionResult(tp).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset());
            } catch (ExecutionException e) {
                // partition gone or leaderless right now: skipped this sample
            } catch (InterruptedException | TimeoutException e) {
                throw failure("list offsets of " + tp, e);
            }
        }
        return offsets;
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw failure(what, e);
        }
    }

    private KafkaException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String reason = e instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms" : cause.toString();
        return new KafkaException("cannot " + what + ": " + reason, cause);
    }
}
