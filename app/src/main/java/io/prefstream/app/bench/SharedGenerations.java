package io.prefstream.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shared AlpacaEval generations (805 instructions × 6 models), found where the tests find them:
 * the {@code prefstream.data.dir} system property, the {@code PREFSTREAM_SHARED_DATA} environment
 * variable, {@code ../shared/data}, then {@code /work/shared/data}.
 */
final class SharedGenerations {
    static final String FILE = "alpaca-eval-generations.jsonl.gz";

    private SharedGenerations() {
    }

    /** The file, or a clear error naming every place searched. */
    static Path locate() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("prefstream.data.dir");
        if (property != null) {
            candidates.add(Path.of(property));
        }
        String env = System.getenv("PREFSTREAM_SHARED_DATA");
        if (env != null) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("../shared/data"));
        candidates.add(Path.of("/work/shared/data"));
        for (Path dir : candidates) {
            Path file = dir.resolve(FILE);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalArgumentException("the shared generations " + FILE + " were not found in " + candidates
            + "; pass --input FILE");
    }

    /**
     * Writes every line of {@code source} (generations JSON lines, plain or gzip) whose instruction is
     * one of its distinct instructions number {@code skip + 1} to {@code skip + prompts}, in order of
     * first appearance, to {@code target}: a subset that keeps all answers of each prompt, so the pairs
     * per prompt stay those of the full file.
     *
     * @return the number of lines written
     */
    static int prompts(Path source, int skip, int prompts, Path target) {
        ObjectMapper json = new ObjectMapper();
        Set<String> seen = new HashSet<>();
        Set<String> kept = new HashSet<>();
        int lines = 0;
        try (BufferedReader in = open(source); Writer out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode instruction = json.readTree(line).get("instruction");
                if (instruction == null) {
                    throw new IllegalArgumentException(source + ": a line without \"instruction\": not generations");
                }
                if (seen.add(instruction.asText()) && seen.size() > skip && kept.size() < prompts) {
                    kept.add(instruction.asText());
                }
                if (kept.contains(instruction.asText())) {
                    out.write(line);
                    out.write('\n');
                    lines++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + " or write " + target, e);
        }
        return lines;
    }

    /** Non-blank lines of a JSON lines file, plain or gzip. */
    static long countLines(Path file) {
        try (BufferedReader in = open(file)) {
            return in.lines().filter(line -> !line.isBlank()).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
