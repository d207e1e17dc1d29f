package io.prefstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafkaBroker.class)
class LagMonitorTest {

    @Test
    void aLaggingStageGoesFromOkToWarnWhenLagGrowsToErrWhenStalledAndBehindRetention(EmbeddedKafkaBroker broker)
        throws Exception {
        try (LaggingPipeline pipeline = new LaggingPipeline(broker, "consistency", 2)) {
            LagMonitor monitor = pipeline.monitor(3, List.of());
            pipeline.produce(0, 50);
            pipeline.produce(1, 50);
            pipeline.consumeAndCommit(0, 50);
            pipeline.consumeAndCommit(1, 20);

            LagReport first = monitor.sample();
            StageLag stage = first.stage("consistency");
            assertThat(stage.group()).isEqualTo(pipeline.group);
            assertThat(stage.kind()).isEqualTo(StageLag.CONSUMER_GROUP);
            assertThat(stage.members()).isZero();
            assertThat(stage.lag()).isEqualTo(30);
            assertThat(stage.partitions()).extracting(PartitionEvaluation::partition, PartitionEvaluation::position,
                    PartitionEvaluation::end, PartitionEvaluation::lag, PartitionEvaluation::condition)
                .containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, 50L, 50L, 0L, Condition.CAUGHT_UP),
                    org.assertj.core.groups.Tuple.tuple(1, 20L, 50L, 30L, Condition.WARMING_UP));
            assertThat(stage.status()).isEqualTo(Status.OK);
            assertThat(first.samples()).isEqualTo(1);

            // producers add 10 per step, the stage reads 5: lag 30 -> 35 -> 40
            pipeline.produce(1, 10);
            pipeline.consumeAndCommit(1, 5);
            PartitionEvaluation warming = monitor.sample().stage("consistency").partitions().get(1);
            assertThat(warming.condition()).isEqualTo(Condition.WARMING_UP);
            assertThat(warming.lag()).isEqualTo(35);
            pipeline.produce(1, 10);
            pipeline.consumeAndCommit(1, 5);
            LagReport growing = monitor.sample();
            PartitionEvaluation p1 = growing.stage("consistency").partitions().get(1);
            assertThat(p1.position()).isEqualTo(30);
            assertThat(p1.end()).isEqualTo(70);
            assertThat(p1.lag()).isEqualTo(40);
            assertThat(p1.condition()).isEqualTo(Condition.LAG_GROWING);
            assertThat(p1.detail()).startsWith("lag grew from 30 to 40 in ");
            assertThat(p1.consumeRate()).isPositive();
            assertThat(p1.produceRate()).isGreaterThan(p1.consumeRate());
            assertThat(p1.drainSeconds()).isNull();
            assertThat(growing.stage("consistency").status()).isEqualTo(Status.WARN);
            assertThat(growing.stage("consistency").partitions().get(0).condition()).isEqualTo(Condition.CAUGHT_UP);

            // the stage stops committing: after a full window without movement it is stalled
            monitor.sample();
            LagReport stalled = monitor.sample();
            PartitionEvaluation stuck = stalled.stage("consistency").partitions().get(1);
            assertThat(stuck.condition()).isEqualTo(Condition.STALLED);
            assertThat(stuck.detail()).startsWith("position stuck at 30 for ").endsWith(" with lag 40");
            assertThat(stuck.consumeRate()).isZero();
            assertThat(stalled.status()).isEqualTo(Status.ERR);

            // retention deletes records it never read
            pipeline.deleteBefore(1, 60);
            PartitionEvaluation behind = monitor.sample().stage("consistency").partitions().get(1);
            assertThat(behind.condition()).isEqualTo(Condition.BEHIND_RETENTION);
            assertThat(behind.logStart()).isEqualTo(60);
            assertThat(behind.lag()).isEqualTo(10);
            assertThat(behind.detail()).isEqualTo(
                "30 records were deleted by retention before this stage read them (position 30 < log start 60)");

            // the stage catches up (reset to the log start, reads everything): OK again
            pipeline.consumeAndCommit(1, 10); // out of range: resets to the log start, reads 60..69
            LagReport recovered = monitor.sample();
            assertThat(recovered.stage("consistency").partitions().get(1).lag()).isZero();
            assertThat(recovered.status()).isEqualTo(Status.OK);
        }
    }

    @Test
    void aMemberHoldingPartitionsWithoutEverCommittingIsJudgedOnThem(EmbeddedKafkaBroker broker) throws Exception {
        try (LaggingPipeline pipeline = new LaggingPipeline(broker, "labeler", 2);
             KafkaConsumer<String, String> member = new KafkaConsumer<>(Map.of(
                 ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                 ConsumerConfig.GROUP_ID_CONFIG, pipeline.group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                 ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            pipeline.produce(0, 6);
            pipeline.produce(1, 4);
            member.subscribe(List.of(pipeline.topic));
            Await.until(Duration.ofSeconds(30), "the member to hold both partitions", () -> {
                member.poll(Duration.ofMillis(100)); // reads, never commits: stuck before its first commit
                return member.assignment().size() == 2;
            });

            StageLag stage = pipeline.monitor(2, List.of()).sample().stage("labeler");

            assertThat(stage.members()).isEqualTo(1);
            assertThat(stage.lag()).isEqualTo(10);
            assertThat(stage.partitions()).extracting(PartitionEvaluation::partition, PartitionEvaluation::position,
                    PartitionEvaluation::lag, PartitionEvaluation::condition)
                .containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, null, 6L, Condition.NO_COMMIT),
                    org.assertj.core.groups.Tuple.tuple(1, null, 4L, Condition.NO_COMMIT));
            assertThat(stage.status()).isEqualTo(Status.WARN);
        }
    }

    @Test
    void aPositionSourceCountsAsAStageReplacingItsGroupsAndAPartitionWithoutCommitIsNoCommit(EmbeddedKafkaBroker broker) throws Exception {
        try (LaggingPipeline pipeline = new LaggingPipeline(broker, "pairing", 2)) {
            pipeline.produce(0, 12);
            pipeline.produce(1, 8);
            pipeline.consumeAndCommit(0, 12);
            TopicPartition p0 = pipeline.partition(0);
            TopicPartition p1 = pipeline.partition(1);
            String ownGroup = pipeline.prefix + "sink.curated";
            List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> handed = new ArrayList<>();
            PositionSource sink = new PositionSource() {
                @Override
                public Set<String> groups() {
                    return Set.of(ownGroup, pipeline.prefix + "sink.never-joined");
                }

                @Override
                public Map<TopicPartition, Long> positions(Map<String, Map<TopicPartition, OffsetAndMetadata>> committed) {
                    handed.add(committed);
                    return Map.of(p0, 9L, p1, 8L);
                }

                @Override
                public String stage() {
                    return "sink";
                }
            };
            String ownTopic;
            try (LaggingPipeline sinkGroup = new LaggingPipeline(broker, "sink", 1, pipeline.prefix);
                 LaggingPipeline sinkOwnGroup = new LaggingPipeline(broker, "sink.curated", 1, pipeline.prefix)) {
                sinkGroup.produce(0, 1);
                sinkGroup.consumeAndCommit(0, 1); // a group of the sink's name: replaced by the position source
                sinkOwnGroup.produce(0, 3);
                sinkOwnGroup.consumeAndCommit(0, 2); // one of the sink's own groups: read for it, not shown
                ownTopic = sinkOwnGroup.topic;
            }
            LagReport report = pipeline.monitor(2, List.of(sink)).sample();
            assertThat(report.stages()).extracting(StageLag::stage).containsExactly("pairing", "sink");
            assertThat(handed).singleElement().satisfies(committed -> {
                assertThat(committed).containsOnlyKeys(ownGroup, pipeline.prefix + "sink.never-joined");
                assertThat(committed.get(ownGroup)).containsOnlyKeys(new TopicPartition(ownTopic, 0));
                assertThat(committed.get(ownGroup).get(new TopicPartition(ownTopic, 0)).offset()).isEqualTo(2);
                assertThat(committed.get(pipeline.prefix + "sink.never-joined")).isEmpty();
            });

            StageLag pairing = report.stage("pairing");
            PartitionEvaluation never = pairing.partitions().get(1);
            assertThat(never.position()).isNull();
            assertThat(never.lag()).isEqualTo(8);
            assertThat(never.condition()).isEqualTo(Condition.NO_COMMIT);
            assertThat(pairing.status()).isEqualTo(Status.WARN);

            PositionSource broken = new PositionSource() {
                @Override
                public Map<TopicPartition, Long> positions(Map<String, Map<TopicPartition, OffsetAndMetadata>> committed) {
                    throw new IllegalStateException("table unreachable");
                }

                @Override
                public String stage() {
                    return "sink";
                }
            };
            assertThatThrownBy(() -> pipeline.monitor(2, List.of(broken)).sample())
                .isInstanceOf(org.apache.kafka.common.KafkaException.class)
                .hasMessage("cannot read the positions of stage sink: java.lang.IllegalStateException: table unreachable");

            StageLag table = report.stage("sink");
            assertThat(table.kind()).isEqualTo(StageLag.POSITION_SOURCE);
            assertThat(table.group()).isEqualTo("sink");
            assertThat(table.members()).isNull();
            assertThat(table.lag()).isEqualTo(3);
            assertThat(table.partitions()).extracting(PartitionEvaluation::lag).containsExactly(3L, 0L);
        }
    }
}
