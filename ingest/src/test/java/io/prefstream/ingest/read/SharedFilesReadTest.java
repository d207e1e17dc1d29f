package io.prefstream.ingest.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.ValidationLimits;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.platform.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The readers over the real shared files, with every refused line accounted for. */
class SharedFilesReadTest {
    private static final Validator VALIDATOR = new Validator(ValidationLimits.DEFAULTS);

    static <T> List<Parsed<T>> readAll(Path file, RecordFormat<T> format) throws IOException {
        List<Parsed<T>> all = new ArrayList<>();
        try (RecordReader<T> reader = new RecordReader<>(LineSource.open(file, ValidationLimits.DEFAULT_MAX_RECORD_BYTES), format)) {
            reader.forEachRemaining(all::add);
        }
        return all;
    }

    @Test
    void hhRlhfRefusesExactlyTheFivePairsWhosePromptsDiffer() throws IOException {
        List<Parsed<PairDraft>> all = readAll(SharedData.file(SharedData.HH_RLHF), new HhRlhfFormat());

        assertThat(all).hasSize(2312);
        assertThat(all.get(2311).line()).isEqualTo(2312);
        Map<Long, String> refused = new TreeMap<>();
        all.stream().filter(p -> !p.isValid()).forEach(p -> refused.put(p.line(), p.problems().toString()));
        assertThat(refused).containsOnlyKeys(1255L, 1689L, 1951L, 1953L, 2037L);
        assertThat(refused.values()).allSatisfy(reason -> assertThat(reason)
            .startsWith("[prompt: chosen and rejected differ before their last assistant turn")
            .contains("malformed source turns"));
        assertThat(refused.get(1255L)).contains("chosen turn 4 (assistant) holds an inline \"Human:\"");
        assertThat(refused.get(1953L)).contains("chosen turns 4 and 5 are both assistant turns");
        assertThat(refused.get(1951L)).contains("rejected turn 2 (assistant) holds an inline \"Human:\"");
    }

    @Test
    void hhRlhfSplitsTurnsAndTakesTheLastAssistantTurnsAsResponses() throws IOException {
        List<Parsed<PairDraft>> all = readAll(SharedData.file(SharedData.HH_RLHF), new HhRlhfFormat());

        PairDraft first = all.get(0).value();
        assertThat(first.prompt()).extracting(Turn::role).containsExactly(Turn.USER, Turn.ASSISTANT, Turn.USER, Turn.ASSISTANT, Turn.USER);
        assertThat(first.prompt().get(0).content()).isEqualTo("what are some pranks with a pen i can do?");
        assertThat(first.prompt().get(4).content()).isEqualTo("okay some of these do not have anything to do with pens");
        assertThat(first.prompt().get(3).content()).startsWith("Ok, I’ll give you").contains("\n\n1. Draw a penis")
            .endsWith("find a new place to watch.");
        assertThat(first.chosen()).isEqualTo("No, sorry!  All of these involve a pen, the point is that you can get funny "
            + "results by doing pranks with pens.");
        assertThat(first.rejected()).startsWith("There are lots of funny things").endsWith("It’s really funny.");
        assertThat(first.labelSource()).isNull();
        assertThat(all).filteredOn(Parsed::isValid).allSatisfy(p -> assertThat(p.value().prompt())
            .allSatisfy(t -> assertThat(t.content()).doesNotContain("\n\nHuman:").doesNotContain("\n\nAssistant:")));
    }

    @Test
    void validationThenRefusesTheFourEmptyChosenResponses() throws IOException {
        List<Parsed<PairDraft>> all = readAll(SharedData.file(SharedData.HH_RLHF), new HhRlhfFormat());
        Map<Long, String> invalid = new TreeMap<>();
        int valid = 0;
        for (Parsed<PairDraft> parsed : all) {
            if (!parsed.isValid()) {
                continue;
            }
            try {
                VALIDATOR.check(parsed.value());
                valid++;
            } catch (InvalidRecordException e) {
                invalid.put(parsed.line(), e.getMessage());
            }
        }
        assertThat(invalid).containsOnlyKeys(87L, 517L, 926L, 1104L);
        assertThat(invalid.values()).containsOnly("chosen: empty text");
        assertThat(valid).isEqualTo(2312 - 5 - 4);
    }

    @Test
    void alpacaEvalGenerationsAreAllValid() throws IOException {
        List<Parsed<GenerationDraft>> all = readAll(SharedData.file(SharedData.ALPACA_EVAL), new GenerationsFormat());

        assertThat(all).hasSize(4830).allSatisfy(p -> assertThat(p.problems()).isEmpty());
        Set<List<Turn>> prompts = new HashSet<>();
        Set<String> generators = new HashSet<>();
        Set<List<Object>> responses = new HashSet<>();
        for (Parsed<GenerationDraft> parsed : all) {
            GenerationDraft generation = parsed.value();
            assertThat(generation.prompt()).hasSize(1).allSatisfy(t -> assertThat(t.role()).isEqualTo(Turn.USER));
            prompts.add(generation.prompt());
            generators.add(generation.generator());
            responses.add(List.of(generation.prompt(), generation.response()));
            try {
                VALIDATOR.check(generation);
            } catch (InvalidRecordException e) {
                throw new AssertionError("line " + parsed.line() + ": " + e.getMessage(), e);
            }
        }
        assertThat(prompts).hasSize(805);
        assertThat(generators).hasSize(6);
        // 11 generations repeat another generator's text for the same prompt
        assertThat(responses).hasSize(4819);
    }
}
