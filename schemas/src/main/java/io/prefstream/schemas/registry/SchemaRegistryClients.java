package io.prefstream.schemas.registry;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/** Creates the {@link SchemaRegistryClient} a configuration asks for. */
public final class SchemaRegistryClients {
    private SchemaRegistryClients() {
    }

    /** An HTTP client for http(s) URLs, the shared in-JVM registry for {@code mock://<scope>}. */
    public static SchemaRegistryClient create(Map<String, ?> config) {
        return create(new SchemaRegistryClientConfig(config));
    }

    public static SchemaRegistryClient create(SchemaRegistryClientConfig config) {
        List<String> urls = config.urls();
        if (urls.isEmpty()) {
            throw new ConfigException(SchemaRegistryClientConfig.URL + " is required");
        }
        String first = urls.get(0);
        if (first.startsWith(InMemorySchemaRegistryClient.SCHEME)) {
            if (urls.size() > 1) {
                throw new ConfigException(SchemaRegistryClientConfig.URL, urls, "a mock:// URL cannot be combined with others");
            }
            return InMemorySchemaRegistryClient.forScope(first.substring(InMemorySchemaRegistryClient.SCHEME.length()));
        }
        for (String url : urls) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new ConfigException(SchemaRegistryClientConfig.URL, url, "must start with http://, https:// or mock://");
            }
        }
        return new HttpSchemaRegistryClient(config);
    }
}
