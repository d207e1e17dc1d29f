package io.prefstream.ingest.produce;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.prefstream.ingest.model.GenerationDraft;
import io.prefstream.ingest.model.PairDraft;
import io.prefstream.ingest.model.Turn;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.Validator;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Response;
import io.prefstream.schemas.Role;

/**
 * Validates drafts and builds their Avro records, with ids computed by {@link PrefIds} over the
 * exact texts (so two generators that wrote the same text give the same response id).
 */
public final class RecordBuilder {
    /** A ready-made pair's label is taken to come from its dataset unless the producer says otherwise. */
    public static final LabelSource DEFAULT_LABEL_SOURCE = LabelSource.DATASET;

    private final Validator validator;
    private final Clock clock;

    public RecordBuilder(Validator validator, Clock clock) {
        this.validator = validator;
        this.clock = clock;
    }

    public Validator validator() {
        return validator;
    }

    public static List<Message> messages(List<Turn> turns) {
        return turns.stream().map(t -> new Message(Role.valueOf(t.role()), t.content())).toList();
    }

    /** The label source named {@code name} (human, dataset, llm, rm, none; any case). */
    public static LabelSource labelSource(String name) {
        return LabelSource.valueOf(name.toUpperCase(Locale.ROOT));
    }

    public Generation generation(GenerationDraft draft, String source, Map<String, String> metadata)
        throws InvalidRecordException {
        validator.check(draft);
        List<Message> prompt = messages(draft.prompt());
        String promptId = PrefIds.promptId(prompt);
        return Generation.newBuilder()
            .setPromptId(promptId)
            .setResponseId(PrefIds.responseId(promptId, draft.response()))
            .setPrompt(prompt)
            .setResponse(draft.response())
            .setGenerator(draft.generator())
            .setSource(source)
            .setCreatedAt(now())
            .setMetadata(Map.copyOf(metadata))
            .build();
    }

    /** The pair of {@code draft}; a draft without a label source gets {@link #DEFAULT_LABEL_SOURCE}. */
    public PreferencePair pair(PairDraft draft, String source, Map<String, String> metadata) throws InvalidRecordException {
        validator.check(draft);
        List<Message> prompt = messages(draft.prompt());
        String promptId = PrefIds.promptId(prompt);
        Response chosen = response(promptId, draft.chosen());
        Response rejected = response(promptId, draft.rejected());
        return PreferencePair.newBuilder()
            .setPairId(PrefIds.pairId(promptId, chosen.getResponseId(), rejected.getResponseId()))
            .setPromptId(promptId)
            .setPrompt(prompt)
            .setChosen(chosen)
            .setRejected(rejected)
            .setLabelSource(draft.labelSource() == null ? DEFAULT_LABEL_SOURCE : labelSource(draft.labelSource()))
            .setSource(source)
            .setCreatedAt(now())
            .setMetadata(Map.copyOf(metadata))
            .build();
    }

    private static Response response(String promptId, String text) {
        return new Response(PrefIds.responseId(promptId, text), text, null);
    }

    /** Milliseconds, the precision of the Avro timestamp, so a record equals itself after a round trip. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
