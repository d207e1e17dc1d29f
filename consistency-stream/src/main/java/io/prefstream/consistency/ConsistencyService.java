package io.prefstream.consistency;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prefstream.consistency.scoring.RewardCall;
import io.prefstream.consistency.scoring.RewardModels;
import io.prefstream.consistency.scoring.RewardRequest;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.reward.RewardModel;
import io.prefstream.schemas.ModelRef;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.streams.async.AsyncCall;
import io.prefstream.streams.async.AsyncStageDefaults;
import io.prefstream.streams.async.OutageRetry;

/**
 * Runs the consistency stage: creates missing pipeline topics, checks that both reward models are
 * ready, then starts the {@link ConsistencyTopology} in Kafka Streams. Streams settings come from the
 * configuration unchanged, with these defaults: {@code application.id=prefstream-consistency} and
 * those of every async inference stage ({@link AsyncStageDefaults}: exactly_once_v2, a 500 ms commit
 * interval, no task idling).
 */
public final class ConsistencyService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsistencyService.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final ConsistencyConfig config;
    private final MeterRegistry metrics;
    private InferenceClient inference;
    private KafkaStreams streams;

    public ConsistencyService(ConsistencyConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Starts processing; returns once Kafka Streams is starting.
     *
     * @param listener told of every Kafka Streams state change; null for none
     */
    public synchronized KafkaStreams start(KafkaStreams.StateListener listener) {
        if (streams != null) {
            throw new IllegalStateException("the consistency stage is already started");
        }
        Topics topics = Topics.from(config);
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            List<String> created = topics.createMissing(admin, ADMIN_TIMEOUT);
            if (!created.isEmpty()) {
                log.info("created topics {}", created);
            }
        }
        RewardModels models = config.rewardModels();
        inference = new InferenceClient(new InferenceConfig(config.originals()), metrics);
        RewardCall rewards = new RewardCall(Map.of(
            models.best(), RewardModel.open(inference, inferenceRef(models.best())),
            models.gold(), RewardModel.open(inference, inferenceRef(models.gold()))), metrics);
        // An outage of the reward-model endpoint holds the pairs in the pending store (backpressure) instead
        // of dead-lettering them; they are scored when it is back, without a restart. A malformed answer is
        // asked again a few times before its pairs are dead-lettered.
        AsyncCall<RewardRequest, Float> ridingOutOutages = new OutageRetry<>(rewards, RewardCall::isOutage,
            config.outageTimeout(), config.errorRetries());
        Topology topology = ConsistencyTopology.build(topics, config.policy(), models, ridingOutOutages,
            config.asyncSettings(), metrics);
        streams = new KafkaStreams(topology, streamsProperties(config, topics));
        if (listener != null) {
            streams.setStateListener(listener);
        }
        streams.start();
        log.info("consistency stage started: policy {}, best {}, gold {}", config.policy(), models.best(), models.gold());
        return streams;
    }

    /**
     * The Kafka Streams settings: every Kafka key of the configuration, plus this stage's defaults and
     * the poison-pill handler that dead-letters undeserializable input.
     */
    static Properties streamsProperties(ConsistencyConfig config, Topics topics) {
        Properties props = new Properties();
        props.putAll(config.kafkaClientProperties());
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, ConsistencyConfig.DEFAULT_APPLICATION_ID);
        AsyncStageDefaults.putIfAbsent(props);
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonPillHandler.class);
        props.put(PoisonPillHandler.ROUTING, PoisonPillHandler.routing(topics));
        return props;
    }

    private static io.prefstream.inference.client.ModelRef inferenceRef(ModelRef model) {
        return new io.prefstream.inference.client.ModelRef(model.getName(), model.getVersion());
    }

    @Override
    public synchronized void close() {
        if (streams != null) {
            streams.close(CLOSE_TIMEOUT);
        }
        if (inference != null) {
            inference.close();
        }
    }
}
