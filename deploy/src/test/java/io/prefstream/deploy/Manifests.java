package io.prefstream.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the files of deploy/ (and docs/) the way the tools that consume them would: YAML and JSON parsers. */
final class Manifests {
    private Manifests() {}

    /** The deploy/ module directory (Surefire runs with the module as working directory and sets basedir). */
    static Path deployDir() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    static Path repoRoot() {
        return deployDir().getParent();
    }

    static Path file(String relativeToDeploy) {
        Path file = deployDir().resolve(relativeToDeploy);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("missing file deploy/" + relativeToDeploy);
        }
        return file;
    }

    /** Every YAML document of {@code file} as maps, lists and scalars; comments and `---` handled by SnakeYAML. */
    static List<Map<String, Object>> yamlDocuments(Path file) {
        // SafeConstructor: plain data only; merge keys (<<: *anchor) are resolved as compose does
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : yaml.loadAll(reader)) {
                if (document == null) {
                    continue; // an empty document, e.g. after a trailing ---
                }
                if (!(document instanceof Map<?, ?>)) {
                    throw new AssertionError(file + ": a document is not a mapping: " + document);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) document;
                documents.add(map);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    static Map<String, Object> yaml(Path file) {
        List<Map<String, Object>> documents = yamlDocuments(file);
        if (documents.size() != 1) {
            throw new AssertionError(file + " should hold one YAML document, holds " + documents.size());
        }
        return documents.get(0);
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static List<Path> filesUnder(Path dir, String suffix) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A nested value by keys and list indexes, failing with the path when it is missing. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object current = node;
        StringBuilder where = new StringBuilder();
        for (Object step : path) {
            where.append('.').append(step);
            if (step instanceof Integer index && current instanceof List<?> list && index < list.size()) {
                current = list.get(index);
            } else if (step instanceof String key && current instanceof Map<?, ?> map && map.containsKey(key)) {
                current = map.get(key);
            } else {
                throw new AssertionError("missing " + where + " in " + abbreviate(node));
            }
        }
        return (T) current;
    }

    private static String abbreviate(Object node) {
        String text = String.valueOf(node);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
