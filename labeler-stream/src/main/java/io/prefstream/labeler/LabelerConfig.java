package io.prefstream.labeler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.client.ModelRef;
import io.prefstream.labeler.prompt.PromptTemplates;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.schemas.topic.TopicsConfig;
import io.prefstream.streams.async.AsyncSettings;
import io.prefstream.streams.async.AsyncStageDefaults;

/**
 * Settings of the labeller: the shared keys, the topic keys, the inference keys ({@code inference.*}) and
 * its own {@code labeler.*} keys below. Any other key is a Kafka client or Streams setting and passes
 * through; {@code application.id} defaults to {@value #DEFAULT_APPLICATION_ID} and the Streams
 * settings to those of every async inference stage ({@link AsyncStageDefaults}:
 * exactly_once_v2, a 500 ms commit interval, no task idling).
 */
public class LabelerConfig extends PrefStreamConfig {
    public static final String DEFAULT_APPLICATION_ID = "prefstream-labeler";

    public static final String JUDGE_MODELS = "labeler.judge.models";
    private static final String JUDGE_MODELS_DOC = "The M judge models asked about every pair, as name or "
        + "name:version, comma-separated. Each labels the attributes once and votes K times. Empty: the single "
        + "model of inference.judge.model / inference.judge.version.";

    public static final String SAMPLES_PER_JUDGE = "labeler.samples.per.judge";
    private static final String SAMPLES_PER_JUDGE_DOC = "K: vote samples drawn from each judge model (self-consistency),"
        + " each with its own seed and candidate order. Votes are merged by majority; an even split is a TIE (sent to "
        + "human review), so an odd M x K avoids ties.";

    public static final String VOTE_TEMPERATURE = "labeler.vote.temperature";
    private static final String VOTE_TEMPERATURE_DOC = "Sampling temperature of vote prompts; above 0 so that the K "
        + "samples can differ.";

    public static final String ATTRIBUTE_TEMPERATURE = "labeler.attribute.temperature";
    private static final String ATTRIBUTE_TEMPERATURE_DOC = "Sampling temperature of attribute prompts.";

    public static final String REASK_MIN_TEMPERATURE = "labeler.reask.min.temperature";
    private static final String REASK_MIN_TEMPERATURE_DOC = "Lowest temperature of a re-ask after an invalid answer "
        + "(a greedy judge would otherwise repeat the same invalid answer).";

    public static final String MAX_TOKENS = "labeler.max.tokens";
    private static final String MAX_TOKENS_DOC = "max_tokens of every judge generation. An answer cut off by it is "
        + "invalid (reason 'truncated') and asked again.";

    public static final String INVALID_ANSWER_RETRIES = "labeler.invalid.answer.retries";
    private static final String INVALID_ANSWER_RETRIES_DOC = "N: how many times a judge is asked again after an answer "
        + "that breaks the answer schema. After N re-asks the pair goes to pairs.adjudicate.dlq with the raw output "
        + "and the reason.";

    public static final String RATIONALE_MAX_CHARS = "labeler.rationale.max.chars";
    private static final String RATIONALE_MAX_CHARS_DOC = "Vote reasons are stored truncated to this many characters.";

    public static final String TEMPLATES_VERSION = "labeler.templates.version";
    private static final String TEMPLATES_VERSION_DOC = "Name of the prompt template set (bundled: v1). Recorded, with "
        + "a hash of the template texts, as template_version in every labelled pair.";

    public static final String ATTRIBUTE_TEMPLATE_FILE = "labeler.template.attributes.file";
    private static final String ATTRIBUTE_TEMPLATE_FILE_DOC = "A file replacing the attribute prompt template; empty "
        + "for the bundled one. Placeholders: {{conversation}} (required), {{categories}}, {{max_desired_attributes}}.";

    public static final String VOTE_TEMPLATE_FILE = "labeler.template.vote.file";
    private static final String VOTE_TEMPLATE_FILE_DOC = "A file replacing the vote prompt template; empty for the "
        + "bundled one. Placeholders: {{conversation}}, {{candidate_1}}, {{candidate_2}} (required), "
        + "{{task_category}}, {{desired_attributes}}, {{guideline}}, {{categories}}.";

    /** Prefix of the labelling processor's bounds: {@code labeler.max.pending.records} and so on. */
    public static final String ASYNC_PREFIX = "labeler.";
    public static final String MAX_PENDING_RECORDS = ASYNC_PREFIX + AsyncSettings.MAX_PENDING_RECORDS;
    private static final int DEFAULT_MAX_PENDING_RECORDS = 256;
    private static final String MAX_PENDING_RECORDS_DOC = "Pairs being labelled at once per stream task; above it the "
        + "stream thread blocks (backpressure). Size it to keep the judge busy: about the judge server's concurrency "
        + "(batch x replicas) divided by tasks, times 2. It also bounds the judge calls repeated after a crash "
        + "(at most this many pairs per task, each M x (1+K) calls).";

    public static final String OUTAGE_TIMEOUT_MS = "labeler.inference.outage.timeout.ms";
    private static final String OUTAGE_TIMEOUT_MS_DOC = "How long a judge generation that failed with a transient "
        + "status (UNAVAILABLE, circuit open, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED) keeps being retried, pausing "
        + "0.5 s doubling to 10 s, before its pair is dead-lettered as inference_failure; 0: no such retries.";

    public static final String JUDGE_ERROR_RETRIES = "labeler.judge.error.retries";
    private static final String JUDGE_ERROR_RETRIES_DOC = "How many times a judge generation that failed otherwise, "
        + "for example with an error the judge reported in its ModelStreamInfer stream (which carries no status code) "
        + "or a malformed response, is retried before its pair is dead-lettered as inference_failure.";

    public static final String CREATE_TOPICS = "labeler.create.topics";
    private static final String CREATE_TOPICS_DOC = "Create the pipeline topics that do not exist yet at start.";

    public static final String METRICS_LOG_INTERVAL_MS = "labeler.metrics.log.interval.ms";
    private static final String METRICS_LOG_INTERVAL_MS_DOC = "How often the run command logs its metrics; 0 disables.";

    public static ConfigDef definition() {
        return AsyncSettings.define(OpsServerConfig.define(TopicsConfig.addTo(new ConfigDef(InferenceConfig.definition()))),
                ASYNC_PREFIX, DEFAULT_MAX_PENDING_RECORDS, MAX_PENDING_RECORDS_DOC)
            .define(JUDGE_MODELS, Type.LIST, "", Importance.HIGH, JUDGE_MODELS_DOC)
            .define(SAMPLES_PER_JUDGE, Type.INT, 3, Range.between(1, 64), Importance.HIGH, SAMPLES_PER_JUDGE_DOC)
            .define(VOTE_TEMPERATURE, Type.DOUBLE, 0.7, Range.between(0, 2), Importance.MEDIUM, VOTE_TEMPERATURE_DOC)
            .define(ATTRIBUTE_TEMPERATURE, Type.DOUBLE, 0.0, Range.between(0, 2), Importance.LOW,
                ATTRIBUTE_TEMPERATURE_DOC)
            .define(REASK_MIN_TEMPERATURE, Type.DOUBLE, 0.5, Range.between(0, 2), Importance.LOW,
                REASK_MIN_TEMPERATURE_DOC)
            .define(MAX_TOKENS, Type.INT, 512, Range.atLeast(16), Importance.MEDIUM, MAX_TOKENS_DOC)
            .define(INVALID_ANSWER_RETRIES, Type.INT, 2, Range.between(0, 10), Importance.MEDIUM,
                INVALID_ANSWER_RETRIES_DOC)
            .define(RATIONALE_MAX_CHARS, Type.INT, 280, Range.atLeast(16), Importance.LOW, RATIONALE_MAX_CHARS_DOC)
            .define(TEMPLATES_VERSION, Type.STRING, "v1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                TEMPLATES_VERSION_DOC)
            .define(ATTRIBUTE_TEMPLATE_FILE, Type.STRING, "", Importance.LOW, ATTRIBUTE_TEMPLATE_FILE_DOC)
            .define(VOTE_TEMPLATE_FILE, Type.STRING, "", Importance.LOW, VOTE_TEMPLATE_FILE_DOC)
            .define(OUTAGE_TIMEOUT_MS, Type.LONG, 600_000L, Range.atLeast(0), Importance.MEDIUM, OUTAGE_TIMEOUT_MS_DOC)
            .define(JUDGE_ERROR_RETRIES, Type.INT, 3, Range.between(0, 20), Importance.LOW, JUDGE_ERROR_RETRIES_DOC)
            .define(CREATE_TOPICS, Type.BOOLEAN, true, Importance.LOW, CREATE_TOPICS_DOC)
            .define(METRICS_LOG_INTERVAL_MS, Type.LONG, 60_000L, Range.atLeast(0), Importance.LOW,
                METRICS_LOG_INTERVAL_MS_DOC);
    }

    public LabelerConfig(Map<String, ?> originals) {
        super(definition(), originals);
    }

    /** The inference client's settings, from the same properties. */
    public InferenceConfig inferenceConfig() {
        return new InferenceConfig(originals());
    }

    /** The M judge models, in order. */
    public List<ModelRef> judgeModels() {
        List<String> listed = getList(JUDGE_MODELS);
        if (listed.isEmpty()) {
            return List.of(inferenceConfig().judgeModel());
        }
        List<ModelRef> models = new ArrayList<>();
        for (String entry : listed) {
            int colon = entry.indexOf(':');
            String name = colon < 0 ? entry.strip() : entry.substring(0, colon).strip();
            if (name.isEmpty()) {
                throw new ConfigException(JUDGE_MODELS, listed, "entry '" + entry + "' has no model name");
            }
            models.add(new ModelRef(name, colon < 0 ? "" : entry.substring(colon + 1).strip()));
        }
        return models;
    }

    public PromptTemplates templates() {
        return PromptTemplates.load(getString(TEMPLATES_VERSION), path(ATTRIBUTE_TEMPLATE_FILE), path(VOTE_TEMPLATE_FILE));
    }

    private Path path(String key) {
        String value = getString(key);
        return value.isBlank() ? null : Path.of(value);
    }

    public AsyncSettings asyncSettings() {
        return AsyncSettings.of(this, ASYNC_PREFIX);
    }

    /** Kafka Streams properties: the pass-through client keys, with the labeller's defaults where unset. */
    public Map<String, Object> streamsProperties() {
        Map<String, Object> props = kafkaClientProperties();
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        AsyncStageDefaults.putIfAbsent(props);
        return props;
    }
}
