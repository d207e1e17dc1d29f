package io.prefstream.platform.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Gathers the raw settings of one process, lowest precedence first: a Java properties file,
 * then environment variables named {@code PREFSTREAM_<KEY>}, then explicit command-line values.
 *
 * <p>Environment names follow the convention of Confluent's images: the key upper-cased with
 * {@code .} written as {@code _}, a literal {@code _} as {@code __} and {@code -} as {@code ___}.
 * So {@code PREFSTREAM_SASL_JAAS_CONFIG} sets {@code sasl.jaas.config}.
 */
public final class ConfigSources {
    public static final String ENV_PREFIX = "PREFSTREAM_";

    private ConfigSources() {}

    /** Merges the three sources; {@code file} may be null. */
    public static Map<String, String> load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>();
        if (file != null) {
            merged.putAll(readProperties(file));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                merged.put(keyOf(name.substring(ENV_PREFIX.length())), value);
            }
        });
        merged.putAll(overrides);
        return merged;
    }

    /** The settings of this process from {@code file} (may be null), the real environment and {@code overrides}. */
    public static Map<String, String> load(Path file, Map<String, String> overrides) {
        return load(file, System.getenv(), overrides);
    }

    static String keyOf(String envSuffix) {
        StringBuilder key = new StringBuilder(envSuffix.length());
        int i = 0;
        while (i < envSuffix.length()) {
            if (envSuffix.startsWith("___", i)) {
                key.append('-');
                i += 3;
            } else if (envSuffix.startsWith("__", i)) {
                key.append('_');
                i += 2;
            } else if (envSuffix.charAt(i) == '_') {
                key.append('.');
                i += 1;
            } else {
                key.append(Character.toLowerCase(envSuffix.charAt(i)));
                i += 1;
            }
        }
        return key.toString().toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file, e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }
}
