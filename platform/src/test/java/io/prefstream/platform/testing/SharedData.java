package io.prefstream.platform.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates the real preference data the tests read in place (never copied into the project):
 * the {@code prefstream.data.dir} system property (set by Surefire to {@code ../shared/data} next
 * to the checkout), then the {@code PREFSTREAM_SHARED_DATA} environment variable, then
 * {@code /work/shared/data}. A missing file fails the test with the places searched.
 */
public final class SharedData {
    public static final String HH_RLHF = "hh-rlhf-harmless-base-test.jsonl.gz";
    public static final String ALPACA_EVAL = "alpaca-eval-generations.jsonl.gz";

    private SharedData() {}

    public static Path file(String name) {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("prefstream.data.dir");
        if (property != null) {
            candidates.add(Path.of(property));
        }
        String env = System.getenv("PREFSTREAM_SHARED_DATA");
        if (env != null) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("/work/shared/data"));
        for (Path dir : candidates) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new AssertionError("shared data file " + name + " not found in " + candidates);
    }
}
