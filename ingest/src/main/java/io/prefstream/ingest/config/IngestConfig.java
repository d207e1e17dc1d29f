package io.prefstream.ingest.config;

import java.time.Duration;
import java.util.Map;

import io.prefstream.ingest.pairing.PairingSettings;
import io.prefstream.ingest.validate.ValidationLimits;
import io.prefstream.platform.config.PrefStreamConfig;
import io.prefstream.schemas.topic.TopicsConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/** Settings of the ingest service: the shared PrefStream keys, the topic keys and {@code ingest.*}. */
public class IngestConfig extends PrefStreamConfig {
    public static final String MAX_TEXT_BYTES = "ingest.max.text.bytes";
    private static final String MAX_TEXT_BYTES_DOC =
        "Largest accepted text (one prompt message, one response), in UTF-8 bytes; larger ones are refused (HTTP 413).";

    public static final String MAX_RECORD_BYTES = "ingest.max.record.bytes";
    private static final String MAX_RECORD_BYTES_DOC =
        "Largest accepted record (one file line, one HTTP item, all its texts together), in UTF-8 bytes.";

    public static final String MAX_IN_FLIGHT = "ingest.max.in.flight.records";
    private static final String MAX_IN_FLIGHT_DOC =
        "Records sent but not yet acknowledged by the broker that one ingest may hold; reading waits beyond it, "
            + "which bounds memory on large files.";

    public static final String STARTUP_TIMEOUT_MS = "ingest.startup.timeout.ms";
    private static final String STARTUP_TIMEOUT_MS_DOC =
        "How long ingest waits at start for Kafka to list (and, if missing, create) the topics it writes to before "
            + "giving up.";

    public static final String HTTP_MAX_REQUEST_BYTES = "ingest.http.max.request.bytes";
    private static final String HTTP_MAX_REQUEST_BYTES_DOC =
        "Largest accepted HTTP request body, in bytes; larger ones get 413 before any record is written.";

    public static final String HTTP_AUTH_TOKEN = "ingest.http.auth.token";
    private static final String HTTP_AUTH_TOKEN_DOC =
        "Bearer token the HTTP endpoint requires on /v1/*; empty for no authentication. A missing token gets 401, "
            + "a wrong one 403.";

    public static final String HTTP_ACK_TIMEOUT_MS = "ingest.http.ack.timeout.ms";
    private static final String HTTP_ACK_TIMEOUT_MS_DOC =
        "How long an HTTP request waits for the broker to acknowledge its records before answering 503.";

    public static final String HTTP_RETRY_AFTER_SECONDS = "ingest.http.retry.after.seconds";
    private static final String HTTP_RETRY_AFTER_SECONDS_DOC =
        "The Retry-After value, in seconds, of a 503 answer while Kafka is unavailable.";

    public static final String PAIRING_APPLICATION_ID = "ingest.pairing.application.id";
    private static final String PAIRING_APPLICATION_ID_DOC =
        "Kafka Streams application.id of the pairing stage: its consumer group and the prefix of its state topics.";

    public static final String PAIRING_RESPONSES_PER_PROMPT = "ingest.pairing.responses.per.prompt";
    private static final String PAIRING_RESPONSES_PER_PROMPT_DOC =
        "K: a prompt is paired as soon as it has this many distinct responses.";

    public static final String PAIRING_GAP_MS = "ingest.pairing.gap.ms";
    private static final String PAIRING_GAP_MS_DOC =
        "A prompt with fewer than K responses is paired once no new response arrived for this long (it needs two).";

    public static final String PAIRING_MAX_PAIRS_PER_PROMPT = "ingest.pairing.max.pairs.per.prompt";
    private static final String PAIRING_MAX_PAIRS_PER_PROMPT_DOC =
        "The most candidate pairs ever emitted for one prompt; further responses are still remembered, not paired.";

    public static final String PAIRING_RETENTION_MS = "ingest.pairing.retention.ms";
    private static final String PAIRING_RETENTION_MS_DOC =
        "A prompt with no new response for this long is forgotten (state deleted); a later response starts afresh. "
            + "Bounds the state store; also how long a duplicate generation is recognised.";

    public static final String DEDUP_RETENTION_MS = "ingest.dedup.retention.ms";
    private static final String DEDUP_RETENTION_MS_DOC =
        "A submitted pair (topic pairs.submitted) whose pair_id was already submitted less than this long before or "
            + "after it (by record timestamp) is dropped and counted as a duplicate instead of reaching pairs.raw. Also "
            + "bounds the dedup store: its entries, and its changelog's, expire after this long.";

    public static ConfigDef definition() {
        return TopicsConfig.addTo(baseDefinition())
            .define(MAX_TEXT_BYTES, Type.INT, ValidationLimits.DEFAULT_MAX_TEXT_BYTES, Range.atLeast(1), Importance.MEDIUM,
                MAX_TEXT_BYTES_DOC)
            .define(MAX_RECORD_BYTES, Type.INT, ValidationLimits.DEFAULT_MAX_RECORD_BYTES, Range.atLeast(1),
                Importance.MEDIUM, MAX_RECORD_BYTES_DOC)
            .define(MAX_IN_FLIGHT, Type.INT, 10_000, Range.atLeast(1), Importance.LOW, MAX_IN_FLIGHT_DOC)
            .define(STARTUP_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW, STARTUP_TIMEOUT_MS_DOC)
            .define(HTTP_MAX_REQUEST_BYTES, Type.INT, 64 << 20, Range.atLeast(1), Importance.MEDIUM,
                HTTP_MAX_REQUEST_BYTES_DOC)
            .define(HTTP_AUTH_TOKEN, Type.PASSWORD, "", Importance.MEDIUM, HTTP_AUTH_TOKEN_DOC)
            .define(HTTP_ACK_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW, HTTP_ACK_TIMEOUT_MS_DOC)
            .define(HTTP_RETRY_AFTER_SECONDS, Type.INT, 5, Range.atLeast(1), Importance.LOW, HTTP_RETRY_AFTER_SECONDS_DOC)
            .define(PAIRING_APPLICATION_ID, Type.STRING, "prefstream-pairing", new ConfigDef.NonEmptyString(),
                Importance.MEDIUM, PAIRING_APPLICATION_ID_DOC)
            .define(PAIRING_RESPONSES_PER_PROMPT, Type.INT, 4, Range.atLeast(2), Importance.MEDIUM,
                PAIRING_RESPONSES_PER_PROMPT_DOC)
            .define(PAIRING_GAP_MS, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM, PAIRING_GAP_MS_DOC)
            .define(PAIRING_MAX_PAIRS_PER_PROMPT, Type.INT, 45, Range.atLeast(1), Importance.MEDIUM,
                PAIRING_MAX_PAIRS_PER_PROMPT_DOC)
            .define(PAIRING_RETENTION_MS, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(1), Importance.LOW,
                PAIRING_RETENTION_MS_DOC)
            .define(DEDUP_RETENTION_MS, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(1), Importance.MEDIUM,
                DEDUP_RETENTION_MS_DOC);
    }

    public IngestConfig(Map<String, ?> originals) {
        super(definition(), originals);
    }

    public ValidationLimits limits() {
        return new ValidationLimits(getInt(MAX_TEXT_BYTES), getInt(MAX_RECORD_BYTES));
    }

    public int maxInFlight() {
        return getInt(MAX_IN_FLIGHT);
    }

    public Duration startupTimeout() {
        return Duration.ofMillis(getLong(STARTUP_TIMEOUT_MS));
    }

    public String pairingApplicationId() {
        return getString(PAIRING_APPLICATION_ID);
    }

    public PairingSettings pairingSettings() {
        return new PairingSettings(getInt(PAIRING_RESPONSES_PER_PROMPT), Duration.ofMillis(getLong(PAIRING_GAP_MS)),
            getInt(PAIRING_MAX_PAIRS_PER_PROMPT), Duration.ofMillis(getLong(PAIRING_RETENTION_MS)));
    }

    /** How long a submitted pair_id is remembered: see {@link #DEDUP_RETENTION_MS}. */
    public Duration dedupRetention() {
        return Duration.ofMillis(getLong(DEDUP_RETENTION_MS));
    }

    public int httpMaxRequestBytes() {
        return getInt(HTTP_MAX_REQUEST_BYTES);
    }

    /** The bearer token, or null when authentication is off. */
    public String httpAuthToken() {
        Password token = getPassword(HTTP_AUTH_TOKEN);
        return token == null || token.value().isEmpty() ? null : token.value();
    }

    public long httpAckTimeoutMs() {
        return getLong(HTTP_ACK_TIMEOUT_MS);
    }

    public int httpRetryAfterSeconds() {
        return getInt(HTTP_RETRY_AFTER_SECONDS);
    }
}
