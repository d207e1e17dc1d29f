package io.prefstream.labeler;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.ModelRef;
import io.prefstream.inference.judge.Judge;
import io.prefstream.labeler.judge.JudgeEndpoint;
import io.prefstream.labeler.judge.LabelingSettings;
import io.prefstream.labeler.judge.PairLabeler;
import io.prefstream.labeler.judge.UndecodableInputException;
import io.prefstream.labeler.prompt.PromptTemplates;
import io.prefstream.schemas.DeadLetter;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Vote;
import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.streams.async.AsyncCall;
import io.prefstream.streams.async.AsyncOutcome;
import io.prefstream.streams.async.AsyncProcessorSupplier;
import io.prefstream.streams.async.AsyncSettings;

/**
 * The labelling stage: {@code pairs.adjudicate} in, {@code pairs.labeled} out, failures to
 * {@code pairs.adjudicate.dlq}. {@link #topology} is the pure wiring; {@link #start} runs it against a
 * cluster, a registry and judge models configured by a {@link LabelerConfig}.
 *
 * <p>Input values are kept as their original bytes in the async processor's pending store (no schema of
 * its own to register, and a dead letter keeps them byte for byte) and decoded into a ScoredPair only to
 * build the judge requests; a record that does not decode is dead-lettered as {@code undecodable_input}.
 * Under {@code exactly_once_v2} each input pair yields exactly one labelled pair or one dead letter;
 * outputs leave in completion order, not input order.
 */
public final class LabelerService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LabelerService.class);
    /** Names the stage in dead letters. */
    public static final String STAGE = "labeler";
    /** Names the async processor, its stores ({@code labeler-pending}) and its metrics. */
    public static final String PROCESSOR = "labeler";

    private final KafkaStreams streams;
    private final InferenceClient client;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CountDownLatch stopped;

    private LabelerService(KafkaStreams streams, InferenceClient client, KafkaStreamsMetrics streamsMetrics,
                           CountDownLatch stopped) {
        this.streams = streams;
        this.client = client;
        this.streamsMetrics = streamsMetrics;
        this.stopped = stopped;
    }

    /** The labelling topology; it only wires, so tests drive it with any {@code labeler}. */
    public static Topology topology(Topics topics, AsyncCall<ScoredPair, LabeledPair> labeler, AsyncSettings settings,
                                    LabelerMetrics metrics) {
        Topic<String, ScoredPair> input = topics.pairsAdjudicate();
        Topic<String, LabeledPair> output = topics.pairsLabeled();
        Topic<byte[], DeadLetter> dlq = topics.dlq(input);
        Deserializer<ScoredPair> decoder = input.valueSerde().deserializer();

        AsyncProcessorSupplier<String, byte[], ScoredPair, LabeledPair> judges = AsyncProcessorSupplier
            .builder(PROCESSOR, labeler, Serdes.String(), Serdes.ByteArray())
            .request(bytes -> decode(decoder, input.name(), bytes))
            .settings(settings)
            .stage(STAGE)
            .metrics(metrics.registry())
            .build();

        StreamsBuilder builder = new StreamsBuilder();
        Map<String, KStream<String, AsyncOutcome<byte[], LabeledPair>>> outcomes = builder
            .stream(input.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("adjudicate-source"))
            .peek((key, value) -> metrics.recordIn(), Named.as("count-in"))
            .process(judges, Named.as(PROCESSOR))
            .split(Named.as("outcome-"))
            .branch((key, outcome) -> outcome instanceof AsyncOutcome.Success, Branched.as("labeled"))
            .defaultBranch(Branched.as("failed"));

        outcomes.get("outcome-labeled")
            .mapValues(outcome -> counted(((AsyncOutcome.Success<byte[], LabeledPair>) outcome).result(), metrics),
                Named.as("labeled-pair"))
            .to(output.name(), Produced.with(output.keySerde(), output.valueSerde()).withName("labeled-sink"));
        outcomes.get("outcome-failed")
            .map((key, outcome) -> deadLetter((AsyncOutcome.Failure<byte[], LabeledPair>) outcome, metrics),
                Named.as("dead-letter"))
            .to(dlq.name(), Produced.with(dlq.keySerde(), dlq.valueSerde()).withName("dlq-sink"));
        return builder.build();
    }

    private static ScoredPair decode(Deserializer<ScoredPair> decoder, String topic, byte[] value) {
        if (value == null) {
            throw new UndecodableInputException("the record has no value (a tombstone?): no pair to label", null);
        }
        try {
            ScoredPair pair = decoder.deserialize(topic, value);
            if (pair == null) {
                throw new UndecodableInputException("the record's value decodes to nothing", null);
            }
            return pair;
        } catch (UndecodableInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UndecodableInputException("the value is not a readable ScoredPair: " + e.getMessage(), e);
        }
    }

    private static LabeledPair counted(LabeledPair labeled, LabelerMetrics metrics) {
        metrics.recordOut();
        for (Vote vote : labeled.getVotes()) {
            metrics.vote(vote.getJudgeModel(), vote.getPreferred());
        }
        return labeled;
    }

    private static KeyValue<byte[], DeadLetter> deadLetter(AsyncOutcome.Failure<byte[], LabeledPair> failure,
                                                           LabelerMetrics metrics) {
        DeadLetter letter = failure.deadLetter();
        DeadLetterReason reason = DeadLetterReason.of(letter);
        metrics.deadLetter(reason);
        log.warn("pair at {}/{}/{} dead-lettered ({}): {}", letter.getSourceTopic(), letter.getPartition(),
            letter.getOffset(), reason.tag(), letter.getMessage());
        byte[] key = letter.getOriginalKey() == null ? null : bytes(letter.getOriginalKey());
        return KeyValue.pair(key, letter);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    /**
     * Opens the judges (a readiness check of each model), creates missing topics if configured, and
     * starts the stage. Fails fast, naming the cause, when a judge model is not ready.
     */
    public static LabelerService start(LabelerConfig config, MeterRegistry registry) {
        Topics topics = Topics.from(config);
        if (config.getBoolean(LabelerConfig.CREATE_TOPICS)) {
            try (Admin admin = Admin.create(config.kafkaClientProperties())) {
                List<String> created = topics.createMissing(admin, Duration.ofSeconds(60));
                if (!created.isEmpty()) {
                    log.info("created topics {}", created);
                }
            }
        }
        LabelerMetrics metrics = new LabelerMetrics(registry);
        InferenceClient client = new InferenceClient(config.inferenceConfig(), registry);
        try {
            List<JudgeEndpoint> judges = new ArrayList<>();
            for (ModelRef model : config.judgeModels()) {
                judges.add(JudgeEndpoint.triton(Judge.open(client, model)).retrying(
                    Duration.ofMillis(config.getLong(LabelerConfig.OUTAGE_TIMEOUT_MS)),
                    config.getInt(LabelerConfig.JUDGE_ERROR_RETRIES)));
            }
            LabelingSettings settings = new LabelingSettings(judges, config.getInt(LabelerConfig.SAMPLES_PER_JUDGE),
                config.getDouble(LabelerConfig.VOTE_TEMPERATURE), config.getDouble(LabelerConfig.ATTRIBUTE_TEMPERATURE),
                config.getDouble(LabelerConfig.REASK_MIN_TEMPERATURE), config.getInt(LabelerConfig.MAX_TOKENS),
                config.getInt(LabelerConfig.INVALID_ANSWER_RETRIES), config.getInt(LabelerConfig.RATIONALE_MAX_CHARS));
            PromptTemplates templates = config.templates();
            PairLabeler labeler = new PairLabeler(settings, templates, metrics, Clock.systemUTC());
            Topology topology = topology(topics, labeler, config.asyncSettings(), metrics);
            Properties props = new Properties();
            props.putAll(config.streamsProperties());
            KafkaStreams streams = new KafkaStreams(topology, props);
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            CountDownLatch stopped = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                log.info("labeler {} -> {}", before, now);
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                    stopped.countDown();
                }
            });
            streams.start();
            log.info("labeler started: judges {}, {} samples each, templates {}, {} calls per pair",
                settings.judges().stream().map(JudgeEndpoint::model).toList(), settings.samplesPerJudge(),
                templates.version(), settings.callsPerPair());
            return new LabelerService(streams, client, streamsMetrics, stopped);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Blocks until the stream threads have stopped: closed, or failed (state ERROR). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean failed() {
        return streams.state() == KafkaStreams.State.ERROR;
    }

    /** Stops the stream threads (committing what is done), then the inference client. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        client.close();
    }
}
