package io.prefstream.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.schemas.Verdict;
import io.prefstream.schemas.VerdictFixture;
import io.prefstream.schemas.registry.InMemorySchemaRegistryClient;

@ExtendWith(SharedKafkaBroker.class)
class TopicsTest {

    private static Topics topics(String prefix, String registryScope) {
        return Topics.from(new PrefStreamConfig(Map.of(PrefStreamConfig.TOPIC_PREFIX, prefix,
            PrefStreamConfig.SCHEMA_REGISTRY_URL, "mock://" + registryScope)));
    }

    @Test
    void everyTopicIsDeclaredOnceWithThePrefix() {
        Topics topics = Topics.from(new PrefStreamConfig(Map.of(PrefStreamConfig.SCHEMA_REGISTRY_URL, "mock://names")));

        assertThat(topics.all()).extracting(Topic::name).containsExactly(
            "prefstream.generations", "prefstream.pairs.submitted", "prefstream.pairs.raw",
            "prefstream.pairs.adjudicate", "prefstream.pairs.labeled", "prefstream.pairs.curated",
            "prefstream.pairs.rejected", "prefstream.pairs.review", "prefstream.review.verdicts",
            "prefstream.generations.dlq", "prefstream.pairs.submitted.dlq", "prefstream.pairs.raw.dlq",
            "prefstream.pairs.adjudicate.dlq", "prefstream.pairs.labeled.dlq", "prefstream.pairs.curated.dlq",
            "prefstream.pairs.rejected.dlq", "prefstream.pairs.review.dlq", "prefstream.review.verdicts.dlq");
        assertThat(topics.all()).allSatisfy(topic -> assertThat(topic.doc()).isNotBlank());
        assertThat(topics.dlq(topics.pairsRaw()).name()).isEqualTo("prefstream.pairs.raw.dlq");
        assertThat(topics.pairsRaw().partitions()).isEqualTo(TopicsConfig.DEFAULT_PARTITIONS);
        assertThat(topics.pairsCurated().configs())
            .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThatThrownBy(() -> topics.dlq(topics.dlq(topics.pairsRaw())))
            .hasMessageContaining("not a pipeline topic");
    }

    @Test
    void createMissingCreatesEveryTopicWithItsPartitionsAndConfigs(EmbeddedKafkaBroker broker) throws Exception {
        String prefix = SharedKafkaBroker.uniqueName("topics") + ".";
        Topics topics = new Topics(Map.of(PrefStreamConfig.TOPIC_PREFIX, prefix,
            PrefStreamConfig.SCHEMA_REGISTRY_URL, "mock://create", TopicsConfig.PARTITIONS, 3,
            TopicsConfig.REPLICATION_FACTOR, (short) 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<String> created = topics.createMissing(admin, Duration.ofSeconds(30));
            assertThat(created).containsExactlyInAnyOrderElementsOf(topics.all().stream().map(Topic::name).toList());
            assertThat(topics.createMissing(admin, Duration.ofSeconds(30))).as("second run: nothing to do").isEmpty();

            Set<String> names = topics.all().stream().map(Topic::name).collect(Collectors.toSet());
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            assertThat(described.get(prefix + "pairs.raw").partitions()).hasSize(3);
            assertThat(described.get(prefix + "pairs.raw.dlq").partitions()).hasSize(1);

            ConfigResource curated = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "pairs.curated");
            ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "pairs.raw");
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(curated, raw)).all().get();
            assertThat(configs.get(curated).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(configs.get(raw).get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
            assertThat(configs.get(raw).get(TopicConfig.RETENTION_MS_CONFIG).value())
                .isEqualTo(Long.toString(TopicsConfig.DEFAULT_RETENTION_MS));
        }
    }

    @Test
    void recordsGoThroughTheBrokerWithTheTopicsSerdes(EmbeddedKafkaBroker broker) throws Exception {
        String scope = SharedKafkaBroker.uniqueName("registry");
        Topics topics = topics(SharedKafkaBroker.uniqueName("serdes") + ".", scope);
        Topic<String, Verdict> curated = topics.pairsCurated();
        Verdict verdict = VerdictFixture.verdict();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(curated.newTopic())).all().get();
        }

        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, Verdict> producer = new KafkaProducer<>(producerProps,
            curated.keySerde().serializer(), curated.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(curated.name(), verdict.getPair().getPairId(), verdict)).get();
        }

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, SharedKafkaBroker.uniqueName("group"));
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, Verdict>> received = new ArrayList<>();
        try (KafkaConsumer<String, Verdict> consumer = new KafkaConsumer<>(consumerProps,
            curated.keySerde().deserializer(), curated.valueSerde().deserializer())) {
            consumer.subscribe(List.of(curated.name()));
            Await.until(Duration.ofSeconds(30), "the verdict to come back", () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertThat(received).hasSize(1);
        assertThat(received.get(0).key()).isEqualTo(verdict.getPair().getPairId());
        assertThat(received.get(0).value()).isEqualTo(verdict);
        assertThat(InMemorySchemaRegistryClient.forScope(scope).getSubjects())
            .containsExactly(curated.name() + "-value");
        InMemorySchemaRegistryClient.dropScope(scope);
    }
}
