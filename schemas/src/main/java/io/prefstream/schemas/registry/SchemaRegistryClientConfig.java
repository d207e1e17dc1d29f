package io.prefstream.schemas.registry;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of a {@link SchemaRegistryClient}, with the key names Confluent's serdes use, so existing
 * producer/consumer configuration works unchanged. Both {@code basic.auth.user.info} (Confluent serde
 * form) and {@code schema.registry.basic.auth.user.info} (the prefixed form PrefStream's own config uses)
 * are accepted; the prefixed one wins.
 */
public class SchemaRegistryClientConfig extends AbstractConfig {
    public static final String URL = "schema.registry.url";
    private static final String URL_DOC = "Schema Registry base URLs, comma-separated (required unless a client "
        + "instance is handed to the serde); the client moves to the next "
        + "one when a request fails. 'mock://<scope>' selects an in-process registry shared by everything in the "
        + "JVM using the same scope (for tests).";

    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String PREFIXED_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    private static final String BASIC_AUTH_DOC = "user:password for HTTP basic auth against the registry; empty for none.";

    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    private static final String TRUSTSTORE_LOCATION_DOC = "Trust store with the CAs to trust for https registry URLs; "
        + "empty to use the JVM's default trust store.";
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    private static final String TRUSTSTORE_PASSWORD_DOC = "Password of the trust store.";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    private static final String TRUSTSTORE_TYPE_DOC = "Trust store format: JKS or PKCS12.";

    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    private static final String REQUEST_TIMEOUT_MS_DOC = "Deadline of one HTTP request (connect and answer).";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    private static final String MAX_RETRIES_DOC = "How many times a request is retried after a connection error or a "
        + "5xx answer before giving up. 4xx answers are never retried.";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    private static final String RETRY_BACKOFF_MS_DOC = "Wait before the first retry; doubled on each further retry, "
        + "with up to 20% random jitter.";
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Upper bound of the wait between retries.";

    /** Adds the registry client's keys to {@code definition} (for serde and stage configs that embed them). */
    public static ConfigDef addTo(ConfigDef definition) {
        return definition
            .define(URL, Type.LIST, "", Importance.HIGH, URL_DOC)
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, "", Importance.MEDIUM, BASIC_AUTH_DOC)
            .define(PREFIXED_BASIC_AUTH_USER_INFO, Type.PASSWORD, "", Importance.MEDIUM, BASIC_AUTH_DOC)
            .define(TRUSTSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM, TRUSTSTORE_LOCATION_DOC)
            .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, TRUSTSTORE_PASSWORD_DOC)
            .define(TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW, TRUSTSTORE_TYPE_DOC)
            .define(REQUEST_TIMEOUT_MS, Type.INT, 10_000, Range.atLeast(1), Importance.LOW, REQUEST_TIMEOUT_MS_DOC)
            .define(MAX_RETRIES, Type.INT, 5, Range.atLeast(0), Importance.LOW, MAX_RETRIES_DOC)
            .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(0), Importance.LOW, RETRY_BACKOFF_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC);
    }

    public static ConfigDef definition() {
        return addTo(new ConfigDef());
    }

    public SchemaRegistryClientConfig(Map<String, ?> originals) {
        super(definition(), originals, false);
    }

    protected SchemaRegistryClientConfig(ConfigDef definition, Map<String, ?> originals) {
        super(definition, originals, false);
    }

    public List<String> urls() {
        return getList(URL);
    }

    /** {@code user:password}, or empty for no authentication. */
    public String basicAuthUserInfo() {
        Password prefixed = getPassword(PREFIXED_BASIC_AUTH_USER_INFO);
        return prefixed.value().isEmpty() ? getPassword(BASIC_AUTH_USER_INFO).value() : prefixed.value();
    }
}
