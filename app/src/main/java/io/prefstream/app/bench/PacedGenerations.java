package io.prefstream.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.read.GenerationsFormat;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.schemas.Generation;

/**
 * Generations fed one prompt at a time on an {@link OpenLoopSchedule}: all answers of prompt {@code i}
 * are sent together at its due time, so the pairs of that prompt exist (pairing emits them at the
 * prompt's K-th answer) from that moment on, and a pair's latency is counted from it. Only prompts
 * whose answers are all distinct are fed: a prompt with a duplicate answer never reaches K distinct
 * responses and would wait for the pairing gap by design, which is not latency of the pipeline.
 */
final class PacedGenerations {
    private static final String SOURCE = "bench-latency";

    /** One prompt's generations, validated and with their ids, ready to send. */
    record Prompt(String promptId, List<Generation> generations) {
        long pairs() {
            long n = generations.size();
            return n * (n - 1) / 2;
        }
    }

    private final List<Prompt> prompts;
    private final int leftOut;
    private final Map<String, Integer> indexByPrompt = new HashMap<>();

    private PacedGenerations(List<Prompt> prompts, int leftOut) {
        this.prompts = List.copyOf(prompts);
        this.leftOut = leftOut;
        for (int i = 0; i < prompts.size(); i++) {
            indexByPrompt.put(prompts.get(i).promptId(), i);
        }
    }

    /**
     * The prompts of a generations file (JSON lines, plain or gzip) with exactly {@code answers} distinct
     * responses, in file order; records are built (and validated) by {@code producer}'s builder.
     */
    static PacedGenerations load(Path file, PrefProducer producer, int answers) {
        ObjectMapper json = new ObjectMapper();
        GenerationsFormat format = new GenerationsFormat();
        Map<String, List<Generation>> byPrompt = new LinkedHashMap<>();
        try (BufferedReader in = SharedGenerations.open(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                Generation generation = producer.builder().generation(format.parse(json.readTree(line)), SOURCE, Map.of());
                byPrompt.computeIfAbsent(generation.getPromptId(), p -> new ArrayList<>()).add(generation);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (InvalidRecordException e) {
            throw new IllegalArgumentException(file + ": an invalid generation: " + e.getMessage(), e);
        }
        List<Prompt> kept = new ArrayList<>();
        byPrompt.forEach((promptId, generations) -> {
            Set<String> distinct = generations.stream().map(Generation::getResponseId).collect(Collectors.toSet());
            if (distinct.size() == answers && generations.size() == answers) {
                kept.add(new Prompt(promptId, generations));
            }
        });
        return new PacedGenerations(kept, byPrompt.size() - kept.size());
    }

    int size() {
        return prompts.size();
    }

    /** Prompts of the file not fed: not exactly the expected number of distinct answers. */
    int leftOut() {
        return leftOut;
    }

    long pairs() {
        return prompts.stream().mapToLong(Prompt::pairs).sum();
    }

    /** Which prompt of the schedule {@code promptId} is, or -1 if it is none of these. */
    int indexOf(String promptId) {
        return indexByPrompt.getOrDefault(promptId, -1);
    }

    /**
     * Sends every prompt at its due time without waiting for acknowledgements, then waits for all of
     * them; fails if any send failed.
     *
     * @return the latest a prompt was sent after its due time, in nanoseconds
     */
    long feed(PrefProducer producer, OpenLoopSchedule schedule) {
        List<CompletableFuture<?>> sends = new ArrayList<>(prompts.size());
        long maxLate = schedule.run(prompts.size(), i -> {
            try {
                sends.add(producer.sendAll(prompts.get(i).generations()));
            } catch (InvalidRecordException e) {
                throw new IllegalStateException("a generation validated at load was refused at send", e);
            }
        });
        producer.flush();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        return maxLate;
    }
}
