package io.prefstream.consistency;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.prefstream.consistency.policy.CurationPolicy;
import io.prefstream.consistency.scoring.RewardModels;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.schemas.topic.TopicsConfig;
import io.prefstream.streams.async.AsyncSettings;

/**
 * Settings of the consistency stage: the shared keys, the topic keys ({@code topic.*}), the inference
 * client keys ({@code inference.*}, including the best and gold reward models and their versions),
 * the ops server keys ({@code metrics.port}, {@code metrics.host}) and the {@code consistency.*} keys
 * below. Kafka Streams keys ({@code application.id}, {@code processing.guarantee},
 * {@code commit.interval.ms}, {@code num.stream.threads}, ...) pass through unchanged; see
 * {@link ConsistencyService} for the defaults this stage gives some of them.
 */
public class ConsistencyConfig extends PrefStreamConfig {
    public static final String POLICY_NAME = "consistency.policy.name";
    private static final String POLICY_NAME_DOC = "Name of the curation policy, written into every verdict.";

    public static final String POLICY_VERSION = "consistency.policy.version";
    private static final String POLICY_VERSION_DOC = "Version of the curation policy, written into every verdict "
        + "together with delta and the flip switch; bump it when the rule changes.";

    public static final String POLICY_DELTA = "consistency.policy.delta";
    private static final String POLICY_DELTA_DOC = "RM consensus margin: a pair is accepted without the LLM when "
        + "p_gold > 0.5 and p_best > 0.5 + delta. In [0, 0.5).";

    public static final String POLICY_FLIP_ENABLED = "consistency.policy.flip.enabled";
    private static final String POLICY_FLIP_ENABLED_DOC = "When the gold RM and the LLM majority both prefer the "
        + "proposed rejected response, also emit the swapped pair (flipped=true, path FLIPPED) to pairs.curated.";

    /** Prefix of the scoring processor's bounds: {@code consistency.async.max.pending.records} and so on. */
    public static final String ASYNC_PREFIX = "consistency.async.";
    public static final String MAX_PENDING_RECORDS = ASYNC_PREFIX + AsyncSettings.MAX_PENDING_RECORDS;
    private static final String MAX_PENDING_RECORDS_DOC = "Scoring requests waiting for a reward model, per stream "
        + "task, above which processing blocks (backpressure). Also bounds the reward calls repeated after a crash. "
        + "Size it to endpoint throughput x latency, e.g. 2 x batch size x instances.";

    public static final String OUTAGE_TIMEOUT_MS = "consistency.inference.outage.timeout.ms";
    private static final String OUTAGE_TIMEOUT_MS_DOC = "How long a reward-model call that failed with a transient "
        + "status (UNAVAILABLE, circuit open, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELLED by a server shutting "
        + "down) keeps being retried, pausing "
        + "0.5 s doubling to 10 s, before the pairs waiting on it are dead-lettered; 0: no such retries. Other "
        + "failures: see consistency.inference.error.retries.";
    public static final long DEFAULT_OUTAGE_TIMEOUT_MS = 600_000;

    public static final String ERROR_RETRIES = "consistency.inference.error.retries";
    private static final String ERROR_RETRIES_DOC = "How many times a reward-model call that failed otherwise (a "
        + "malformed answer, an internal error of the server) is made again, with the same pauses, before the pairs "
        + "waiting on it are dead-lettered; the inference client does not retry such failures itself.";

    public static final String DEFAULT_APPLICATION_ID = "prefstream-consistency";

    public static ConfigDef definition() {
        return AsyncSettings.define(OpsServerConfig.define(TopicsConfig.addTo(InferenceConfig.definition())),
                ASYNC_PREFIX, AsyncSettings.DEFAULT_MAX_PENDING_RECORDS, MAX_PENDING_RECORDS_DOC)
            .define(POLICY_NAME, Type.STRING, "dual-rm-consistency", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                POLICY_NAME_DOC)
            .define(POLICY_VERSION, Type.STRING, "1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                POLICY_VERSION_DOC)
            .define(POLICY_DELTA, Type.DOUBLE, 0.1, Range.between(0.0, 0.4999), Importance.HIGH, POLICY_DELTA_DOC)
            .define(POLICY_FLIP_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM, POLICY_FLIP_ENABLED_DOC)
            .define(OUTAGE_TIMEOUT_MS, Type.LONG, DEFAULT_OUTAGE_TIMEOUT_MS, Range.atLeast(0), Importance.MEDIUM,
                OUTAGE_TIMEOUT_MS_DOC)
            .define(ERROR_RETRIES, Type.INT, 3, Range.between(0, 20), Importance.LOW, ERROR_RETRIES_DOC);
    }

    public ConsistencyConfig(Map<String, ?> originals) {
        super(definition(), originals);
    }

    public CurationPolicy policy() {
        return new CurationPolicy(getString(POLICY_NAME), getString(POLICY_VERSION), getDouble(POLICY_DELTA),
            getBoolean(POLICY_FLIP_ENABLED));
    }

    public AsyncSettings asyncSettings() {
        return AsyncSettings.of(this, ASYNC_PREFIX);
    }

    public Duration outageTimeout() {
        return Duration.ofMillis(getLong(OUTAGE_TIMEOUT_MS));
    }

    public int errorRetries() {
        return getInt(ERROR_RETRIES);
    }

    public RewardModels rewardModels() {
        return RewardModels.of(getString(InferenceConfig.REWARD_BEST_MODEL), getString(InferenceConfig.REWARD_BEST_VERSION),
            getString(InferenceConfig.REWARD_GOLD_MODEL), getString(InferenceConfig.REWARD_GOLD_VERSION));
    }
}
