package io.prefstream.ingest.pairing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.prefstream.schemas.Generation;
import io.prefstream.schemas.LabelSource;
import io.prefstream.schemas.Message;
import io.prefstream.schemas.PrefIds;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.Response;
import io.prefstream.schemas.Role;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the generations of each prompt into candidate pairs. A prompt is held until it has K
 * distinct responses, or until no new response arrived for the gap; then it is released with one
 * pair per unordered pair of distinct responses. A response arriving after the release pairs with
 * every response already seen, so no pair is emitted twice. Responses with a response_id already
 * seen (the same text, whoever generated it) are dropped and counted. Pairs carry no proposed label
 * ({@link LabelSource#NONE}); chosen is the response with the smaller response_id, so a pair's id
 * does not depend on arrival order. At most {@code maxPairsPerPrompt} pairs are emitted per prompt.
 */
final class PairingProcessor implements Processor<String, Generation, String, PreferencePair> {
    static final String PROMPTS_STORE = "pairing-prompts";
    static final String ACTIVITY_STORE = "pairing-activity";
    static final String PAIRED_BY = "paired_by";

    private final PairingSettings settings;
    private ProcessorContext<String, PreferencePair> context;
    private KeyValueStore<String, PromptState> prompts;
    private KeyValueStore<String, Activity> activity;

    PairingProcessor(PairingSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, PreferencePair> context) {
        this.context = context;
        this.prompts = context.getStateStore(PROMPTS_STORE);
        this.activity = context.getStateStore(ACTIVITY_STORE);
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, Generation> record) {
        Generation generation = record.value();
        if (generation == null) {
            return;
        }
        String promptId = generation.getPromptId();
        long now = context.currentSystemTimeMs();
        PromptState state = prompts.get(promptId);
        if (state == null) {
            state = new PromptState(turns(generation.getPrompt()), generation.getSource(), List.of(), false, 0, 0, now);
        }
        if (state.hasResponse(generation.getResponseId())) {
            prompts.put(promptId, state.withDuplicate());
            return;
        }
        state = state.withResponse(new PromptState.Seen(generation.getResponseId(), generation.getResponse(),
            generation.getGenerator()), now);
        if (state.released()) {
            int newest = state.responses().size() - 1;
            List<int[]> late = new ArrayList<>();
            for (int earlier = 0; earlier < newest; earlier++) {
                late.add(new int[] {earlier, newest});
            }
            state = emit(promptId, state, late, "late", record.timestamp());
        } else if (state.responses().size() >= settings.responsesPerPrompt()) {
            state = emit(promptId, state, allPairs(state), "k", record.timestamp());
        }
        prompts.put(promptId, state);
        activity.put(promptId, new Activity(now, state.released()));
    }

    /** Releases prompts whose gap has passed and forgets those past retention. */
    private void check(long now) {
        List<KeyValue<String, Activity>> due = new ArrayList<>();
        try (KeyValueIterator<String, Activity> all = activity.all()) {
            all.forEachRemaining(entry -> {
                long idle = now - entry.value.lastArrivalMs();
                if (idle >= settings.retention().toMillis() || !entry.value.released() && idle >= settings.gap().toMillis()) {
                    due.add(entry);
                }
            });
        }
        for (KeyValue<String, Activity> entry : due) {
            String promptId = entry.key;
            if (now - entry.value.lastArrivalMs() >= settings.retention().toMillis()) {
                prompts.delete(promptId);
                activity.delete(promptId);
                continue;
            }
            PromptState state = prompts.get(promptId);
            if (state.responses().size() >= 2) { // a lone response waits for a second one (or retention)
                state = emit(promptId, state, allPairs(state), "gap", now);
                prompts.put(promptId, state);
                activity.put(promptId, new Activity(entry.value.lastArrivalMs(), true));
            }
        }
    }

    private static List<int[]> allPairs(PromptState state) {
        List<int[]> pairs = new ArrayList<>();
        for (int j = 1; j < state.responses().size(); j++) {
            for (int i = 0; i < j; i++) {
                pairs.add(new int[] {i, j});
            }
        }
        return pairs;
    }

    /** Emits {@code pairs} (indexes into the responses) up to the cap; returns the released state. */
    private PromptState emit(String promptId, PromptState state, List<int[]> pairs, String pairedBy, long timestamp) {
        int room = Math.max(0, settings.maxPairsPerPrompt() - state.pairsEmitted());
        int emitted = 0;
        List<Message> prompt = messages(state.prompt());
        for (int[] pair : pairs) {
            if (emitted == room) {
                break;
            }
            PromptState.Seen a = state.responses().get(pair[0]);
            PromptState.Seen b = state.responses().get(pair[1]);
            PromptState.Seen chosen = a.responseId().compareTo(b.responseId()) < 0 ? a : b;
            PromptState.Seen rejected = chosen == a ? b : a;
            PreferencePair candidate = PreferencePair.newBuilder()
                .setPairId(PrefIds.pairId(promptId, chosen.responseId(), rejected.responseId()))
                .setPromptId(promptId)
                .setPrompt(prompt)
                .setChosen(new Response(chosen.responseId(), chosen.text(), chosen.generator()))
                .setRejected(new Response(rejected.responseId(), rejected.text(), rejected.generator()))
                .setLabelSource(LabelSource.NONE)
                .setSource(state.source())
                .setCreatedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setMetadata(Map.of(PAIRED_BY, pairedBy))
                .build();
            context.forward(new Record<>(candidate.getPairId(), candidate, timestamp));
            emitted++;
        }
        return state.releasedWith(emitted);
    }

    private static List<PromptState.Turn> turns(List<Message> messages) {
        return messages.stream().map(m -> new PromptState.Turn(m.getRole().name(), m.getContent())).toList();
    }

    private static List<Message> messages(List<PromptState.Turn> turns) {
        return turns.stream().map(t -> new Message(Role.valueOf(t.role()), t.content())).toList();
    }
}
