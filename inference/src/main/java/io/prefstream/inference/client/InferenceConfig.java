package io.prefstream.inference.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import io.prefstream.platform.config.PrefStreamConfig;

/**
 * Settings of the inference client and its facades, all under {@code inference.}. Endpoints come
 * from the shared {@code inference.endpoints} key.
 */
public class InferenceConfig extends PrefStreamConfig {
    public static final String TLS_ENABLED = "inference.tls.enabled";
    private static final String TLS_ENABLED_DOC = "Connect to the endpoints over TLS instead of plaintext.";

    public static final String TLS_TRUST_CERTIFICATES = "inference.tls.trust.certificates";
    private static final String TLS_TRUST_CERTIFICATES_DOC =
        "PEM file of CA certificates to trust; empty for the JVM's default trust store.";

    public static final String TLS_CLIENT_CERTIFICATE = "inference.tls.client.certificate";
    private static final String TLS_CLIENT_CERTIFICATE_DOC =
        "PEM certificate chain presented to the server (mutual TLS); empty for none.";

    public static final String TLS_CLIENT_KEY = "inference.tls.client.key";
    private static final String TLS_CLIENT_KEY_DOC =
        "PEM PKCS#8 private key of inference.tls.client.certificate; empty for none.";

    public static final String HEADERS = "inference.headers";
    private static final String HEADERS_DOC =
        "gRPC metadata sent with every call, name=value pairs separated by commas "
            + "(e.g. authorization=Bearer xyz). Hidden in logs.";

    public static final String REQUEST_TIMEOUT_MS = "inference.request.timeout.ms";
    private static final String REQUEST_TIMEOUT_MS_DOC =
        "Deadline of one reward-model call attempt; an attempt past it fails with DEADLINE_EXCEEDED.";

    public static final String MAX_IN_FLIGHT = "inference.max.in.flight.per.endpoint";
    private static final String MAX_IN_FLIGHT_DOC =
        "Calls outstanding at once on one endpoint; further calls wait for a slot. Set it to at least "
            + "twice the model's instance count so the server never idles between batches.";

    public static final String RETRIES = "inference.retries";
    private static final String RETRIES_DOC =
        "Retries of a call that failed with UNAVAILABLE, DEADLINE_EXCEEDED or RESOURCE_EXHAUSTED. "
            + "Other failures are not retried.";

    public static final String RETRY_BACKOFF_MS = "inference.retry.backoff.ms";
    private static final String RETRY_BACKOFF_MS_DOC =
        "Backoff before the first retry; it doubles on each retry up to inference.retry.backoff.max.ms, "
            + "and each wait is drawn uniformly between half and all of it (jitter).";

    public static final String RETRY_BACKOFF_MAX_MS = "inference.retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Upper bound of the retry backoff.";

    public static final String CIRCUIT_FAILURE_THRESHOLD = "inference.circuit.failure.threshold";
    private static final String CIRCUIT_FAILURE_THRESHOLD_DOC =
        "Consecutive endpoint failures (unavailable, timed out, overloaded, internal error, malformed "
            + "response) that open that endpoint's circuit breaker.";

    public static final String CIRCUIT_OPEN_MS = "inference.circuit.open.ms";
    private static final String CIRCUIT_OPEN_MS_DOC =
        "How long an open breaker rejects calls before letting one probe call through (half-open).";

    public static final String READY_TIMEOUT_MS = "inference.ready.timeout.ms";
    private static final String READY_TIMEOUT_MS_DOC =
        "At start-up, how long the readiness check of each model keeps trying an endpoint that is unreachable, "
            + "overloaded or slow to answer (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELLED), with the "
            + "retry backoff, before the stage gives up; 0: one attempt. A model that is missing, not ready or has "
            + "another signature fails at once.";

    public static final String CLOSE_TIMEOUT_MS = "inference.close.timeout.ms";
    private static final String CLOSE_TIMEOUT_MS_DOC =
        "On close, how long to wait for queued and in-flight calls to finish before cancelling them.";

    public static final String BATCH_MAX_SIZE = "inference.batch.max.size";
    private static final String BATCH_MAX_SIZE_DOC =
        "Most items the client puts in one reward-model request; keep it at or below the model's max_batch_size.";

    public static final String BATCH_LINGER_MS = "inference.batch.linger.ms";
    private static final String BATCH_LINGER_MS_DOC =
        "How long a partly filled batch waits for more items before it is sent.";

    public static final String REWARD_BEST_MODEL = "inference.reward.best.model";
    private static final String REWARD_BEST_MODEL_DOC = "Name of the current best reward model on the server.";
    public static final String REWARD_BEST_VERSION = "inference.reward.best.version";
    private static final String REWARD_BEST_VERSION_DOC = "Version of the best reward model; empty for the server's choice.";
    public static final String REWARD_GOLD_MODEL = "inference.reward.gold.model";
    private static final String REWARD_GOLD_MODEL_DOC =
        "Name of the gold reward model (trained on human-verified pairs) on the server.";
    public static final String REWARD_GOLD_VERSION = "inference.reward.gold.version";
    private static final String REWARD_GOLD_VERSION_DOC = "Version of the gold reward model; empty for the server's choice.";

    public static final String REWARD_INPUT_TENSOR = "inference.reward.input.tensor";
    private static final String REWARD_INPUT_TENSOR_DOC =
        "BYTES input of the reward models: one chat-template-formatted conversation per batch item.";
    public static final String REWARD_OUTPUT_TENSOR = "inference.reward.output.tensor";
    private static final String REWARD_OUTPUT_TENSOR_DOC = "FP32 output of the reward models: one reward per item.";

    public static final String TEMPLATE_PREFIX = "inference.reward.template.prefix";
    private static final String TEMPLATE_PREFIX_DOC =
        "Text put once before the rendered turns (the default is Llama 3's BOS, as Skywork-Reward-V2-Llama expects; "
            + "the Triton model must then not add a second BOS).";
    public static final String TEMPLATE_TURN = "inference.reward.template.turn";
    private static final String TEMPLATE_TURN_DOC =
        "Template of one turn; {role} is replaced by user/assistant/system and {content} by the text. "
            + "Java escapes \\n are understood.";
    public static final String TEMPLATE_SUFFIX = "inference.reward.template.suffix";
    private static final String TEMPLATE_SUFFIX_DOC = "Text put once after the rendered turns.";

    public static final String JUDGE_MODEL = "inference.judge.model";
    private static final String JUDGE_MODEL_DOC = "Name of the LLM judge model (Triton vLLM backend contract).";
    public static final String JUDGE_VERSION = "inference.judge.version";
    private static final String JUDGE_VERSION_DOC = "Version of the judge model; empty for the server's choice.";
    public static final String JUDGE_INPUT_TENSOR = "inference.judge.input.tensor";
    private static final String JUDGE_INPUT_TENSOR_DOC = "BYTES input carrying the prompt.";
    public static final String JUDGE_PARAMETERS_TENSOR = "inference.judge.parameters.tensor";
    private static final String JUDGE_PARAMETERS_TENSOR_DOC = "BYTES input carrying the sampling parameters as JSON.";
    public static final String JUDGE_OUTPUT_TENSOR = "inference.judge.output.tensor";
    private static final String JUDGE_OUTPUT_TENSOR_DOC = "BYTES output carrying the generated text.";
    public static final String JUDGE_TIMEOUT_MS = "inference.judge.request.timeout.ms";
    private static final String JUDGE_TIMEOUT_MS_DOC =
        "Deadline of one judge generation attempt (generation takes far longer than scoring).";

    public static ConfigDef definition() {
        return baseDefinition()
            .define(TLS_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM, TLS_ENABLED_DOC)
            .define(TLS_TRUST_CERTIFICATES, Type.STRING, "", Importance.LOW, TLS_TRUST_CERTIFICATES_DOC)
            .define(TLS_CLIENT_CERTIFICATE, Type.STRING, "", Importance.LOW, TLS_CLIENT_CERTIFICATE_DOC)
            .define(TLS_CLIENT_KEY, Type.STRING, "", Importance.LOW, TLS_CLIENT_KEY_DOC)
            .define(HEADERS, Type.PASSWORD, "", Importance.LOW, HEADERS_DOC)
            .define(REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.MEDIUM, REQUEST_TIMEOUT_MS_DOC)
            .define(MAX_IN_FLIGHT, Type.INT, 8, Range.atLeast(1), Importance.MEDIUM, MAX_IN_FLIGHT_DOC)
            .define(RETRIES, Type.INT, 3, Range.atLeast(0), Importance.MEDIUM, RETRIES_DOC)
            .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(1), Importance.LOW, RETRY_BACKOFF_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC)
            .define(CIRCUIT_FAILURE_THRESHOLD, Type.INT, 5, Range.atLeast(1), Importance.LOW, CIRCUIT_FAILURE_THRESHOLD_DOC)
            .define(CIRCUIT_OPEN_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW, CIRCUIT_OPEN_MS_DOC)
            .define(READY_TIMEOUT_MS, Type.LONG, 120_000L, Range.atLeast(0), Importance.MEDIUM, READY_TIMEOUT_MS_DOC)
            .define(CLOSE_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW, CLOSE_TIMEOUT_MS_DOC)
            .define(BATCH_MAX_SIZE, Type.INT, 64, Range.atLeast(1), Importance.MEDIUM, BATCH_MAX_SIZE_DOC)
            .define(BATCH_LINGER_MS, Type.LONG, 5L, Range.atLeast(0), Importance.MEDIUM, BATCH_LINGER_MS_DOC)
            .define(REWARD_BEST_MODEL, Type.STRING, "rm-best", new ConfigDef.NonEmptyString(), Importance.HIGH,
                REWARD_BEST_MODEL_DOC)
            .define(REWARD_BEST_VERSION, Type.STRING, "", Importance.MEDIUM, REWARD_BEST_VERSION_DOC)
            .define(REWARD_GOLD_MODEL, Type.STRING, "rm-gold", new ConfigDef.NonEmptyString(), Importance.HIGH,
                REWARD_GOLD_MODEL_DOC)
            .define(REWARD_GOLD_VERSION, Type.STRING, "", Importance.MEDIUM, REWARD_GOLD_VERSION_DOC)
            .define(REWARD_INPUT_TENSOR, Type.STRING, "text", new ConfigDef.NonEmptyString(), Importance.LOW,
                REWARD_INPUT_TENSOR_DOC)
            .define(REWARD_OUTPUT_TENSOR, Type.STRING, "reward", new ConfigDef.NonEmptyString(), Importance.LOW,
                REWARD_OUTPUT_TENSOR_DOC)
            .define(TEMPLATE_PREFIX, Type.STRING, "<|begin_of_text|>", Importance.MEDIUM, TEMPLATE_PREFIX_DOC)
            .define(TEMPLATE_TURN, Type.STRING, "<|start_header_id|>{role}<|end_header_id|>\\n\\n{content}<|eot_id|>",
                Importance.MEDIUM, TEMPLATE_TURN_DOC)
            .define(TEMPLATE_SUFFIX, Type.STRING, "", Importance.LOW, TEMPLATE_SUFFIX_DOC)
            .define(JUDGE_MODEL, Type.STRING, "judge", new ConfigDef.NonEmptyString(), Importance.HIGH, JUDGE_MODEL_DOC)
            .define(JUDGE_VERSION, Type.STRING, "", Importance.MEDIUM, JUDGE_VERSION_DOC)
            .define(JUDGE_INPUT_TENSOR, Type.STRING, "text_input", new ConfigDef.NonEmptyString(), Importance.LOW,
                JUDGE_INPUT_TENSOR_DOC)
            .define(JUDGE_PARAMETERS_TENSOR, Type.STRING, "sampling_parameters", new ConfigDef.NonEmptyString(),
                Importance.LOW, JUDGE_PARAMETERS_TENSOR_DOC)
            .define(JUDGE_OUTPUT_TENSOR, Type.STRING, "text_output", new ConfigDef.NonEmptyString(), Importance.LOW,
                JUDGE_OUTPUT_TENSOR_DOC)
            .define(JUDGE_TIMEOUT_MS, Type.LONG, 120_000L, Range.atLeast(1), Importance.MEDIUM, JUDGE_TIMEOUT_MS_DOC);
    }

    public InferenceConfig(Map<String, ?> originals) {
        super(definition(), originals);
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_MS)) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS, getLong(RETRY_BACKOFF_MAX_MS),
                "must be at least " + RETRY_BACKOFF_MS + " (" + getLong(RETRY_BACKOFF_MS) + ")");
        }
        headers();
    }

    public List<String> endpoints() {
        List<String> endpoints = getList(INFERENCE_ENDPOINTS);
        if (endpoints.isEmpty()) {
            throw new ConfigException(INFERENCE_ENDPOINTS, "", "at least one host:port is required");
        }
        return endpoints;
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS));
    }

    public Duration readyTimeout() {
        return Duration.ofMillis(getLong(READY_TIMEOUT_MS));
    }

    public Duration judgeTimeout() {
        return Duration.ofMillis(getLong(JUDGE_TIMEOUT_MS));
    }

    public ModelRef bestRewardModel() {
        return new ModelRef(getString(REWARD_BEST_MODEL), getString(REWARD_BEST_VERSION));
    }

    public ModelRef goldRewardModel() {
        return new ModelRef(getString(REWARD_GOLD_MODEL), getString(REWARD_GOLD_VERSION));
    }

    public ModelRef judgeModel() {
        return new ModelRef(getString(JUDGE_MODEL), getString(JUDGE_VERSION));
    }

    /** The {@code inference.headers} pairs, in order. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        String raw = getPassword(HEADERS).value();
        for (String pair : raw.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(HEADERS, "(hidden)", "expected name=value pairs, got an entry without a name");
            }
            headers.put(pair.substring(0, eq).trim().toLowerCase(Locale.ROOT), pair.substring(eq + 1).trim());
        }
        return headers;
    }

    /** Replaces the Java escapes {@code \n} and {@code \t} a properties file cannot hold literally. */
    public String template(String key) {
        return getString(key).replace("\\n", "\n").replace("\\t", "\t");
    }
}
