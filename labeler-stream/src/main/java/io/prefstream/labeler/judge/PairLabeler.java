package io.prefstream.labeler.judge;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.prefstream.inference.client.ModelRef;
import io.prefstream.labeler.LabelerMetrics;
import io.prefstream.labeler.answer.AttributeAnswer;
import io.prefstream.labeler.answer.InvalidAnswerException;
import io.prefstream.labeler.answer.VoteAnswer;
import io.prefstream.labeler.prompt.CandidateOrders;
import io.prefstream.labeler.prompt.Conversations;
import io.prefstream.labeler.prompt.PromptTemplates;
import io.prefstream.labeler.vote.AttributeMerger;
import io.prefstream.labeler.vote.VoteMerger;
import io.prefstream.schemas.Attributes;
import io.prefstream.schemas.CandidateOrder;
import io.prefstream.schemas.LabeledPair;
import io.prefstream.schemas.Preference;
import io.prefstream.schemas.PreferencePair;
import io.prefstream.schemas.ScoredPair;
import io.prefstream.schemas.Vote;
import io.prefstream.streams.async.AsyncCall;

/**
 * Labels one pair: asks every judge the attribute prompt, merges the answers, then asks every judge the
 * vote prompt K times (with the merged attributes as its guideline and the candidates in the order
 * {@link CandidateOrders} fixes), and merges the votes. Every answer is validated; an invalid one is asked
 * again (with a new seed) up to N times, after which the whole pair fails with
 * {@link JudgeAnswerRejectedException} and is dead-lettered. All prompts and seeds are functions of the
 * pair, so the call can be repeated after a crash and asks the same questions.
 *
 * <p>The async processor runs one such call per input record; its calls overlap, which is what keeps
 * the judge's server busy.
 */
public final class PairLabeler implements AsyncCall<ScoredPair, LabeledPair> {
    static final String ATTRIBUTES = "attributes";
    static final String VOTE = "vote";

    private final LabelingSettings settings;
    private final PromptTemplates templates;
    private final LabelerMetrics metrics;
    private final Clock clock;
    private final List<io.prefstream.schemas.ModelRef> judgeRefs;

    public PairLabeler(LabelingSettings settings, PromptTemplates templates, LabelerMetrics metrics, Clock clock) {
        this.settings = settings;
        this.templates = templates;
        this.metrics = metrics;
        this.clock = clock;
        this.judgeRefs = settings.judges().stream()
            .map(j -> new io.prefstream.schemas.ModelRef(j.model().name(), j.model().version())).toList();
    }

    @Override
    public CompletableFuture<LabeledPair> call(ScoredPair scored) {
        PreferencePair pair = scored.getPair();
        String conversation = Conversations.render(pair.getPrompt());
        TokenCount tokens = new TokenCount();
        String attributePrompt = templates.attributePrompt(conversation);
        List<CompletableFuture<AttributeAnswer>> attributeCalls = settings.judges().stream()
            .map(judge -> ask(judge, pair.getPairId(), ATTRIBUTES, ATTRIBUTES, attributePrompt,
                settings.attributeTemperature(), AttributeAnswer::parse, tokens, 0))
            .toList();
        return all(attributeCalls).thenCompose(answers -> {
            Attributes merged = AttributeMerger.merge(answers);
            List<CompletableFuture<Vote>> voteCalls = new ArrayList<>();
            for (JudgeEndpoint judge : settings.judges()) {
                for (int sample = 0; sample < settings.samplesPerJudge(); sample++) {
                    voteCalls.add(vote(judge, pair, sample, conversation, merged, tokens));
                }
            }
            return all(voteCalls).thenApply(votes -> labeled(scored, merged, votes, tokens));
        });
    }

    private CompletableFuture<Vote> vote(JudgeEndpoint judge, PreferencePair pair, int sample, String conversation,
                                         Attributes merged, TokenCount tokens) {
        ModelRef model = judge.model();
        CandidateOrder order = CandidateOrders.order(pair.getPairId(), model.name(), sample);
        boolean chosenFirst = order == CandidateOrder.CHOSEN_FIRST;
        String chosen = pair.getChosen().getText();
        String rejected = pair.getRejected().getText();
        String prompt = templates.votePrompt(conversation, chosenFirst ? chosen : rejected,
            chosenFirst ? rejected : chosen, merged);
        return ask(judge, pair.getPairId(), VOTE, VOTE + "/" + sample, prompt, settings.voteTemperature(),
            VoteAnswer::parse, tokens, 0)
            .thenApply(answer -> Vote.newBuilder()
                .setJudgeModel(model.name())
                .setJudgeVersion(model.version())
                .setSample(sample)
                .setCandidateOrder(order)
                .setPreferred(answer.firstPreferred() == chosenFirst ? Preference.CHOSEN : Preference.REJECTED)
                .setRationale(truncate(answer.reason()))
                .build());
    }

    /** A parser of one answer kind; throws when the answer breaks its schema. */
    @FunctionalInterface
    private interface AnswerParser<T> {
        T parse(String raw) throws InvalidAnswerException;
    }

    /**
     * Asks {@code judge} the {@code question} (its seed depends on the question, which names the sample,
     * and on the attempt); validates; re-asks while attempts remain.
     */
    private <T> CompletableFuture<T> ask(JudgeEndpoint judge, String pairId, String kind, String question, String prompt,
                                         double temperature, AnswerParser<T> parser, TokenCount tokens, int attempt) {
        String model = judge.model().name();
        double effectiveTemperature = attempt == 0 ? temperature : Math.max(temperature, settings.reaskMinTemperature());
        Map<String, Object> sampling = Map.of("temperature", effectiveTemperature, "max_tokens", settings.maxTokens(),
            "seed", CandidateOrders.seed(pairId, model, question, attempt));
        long start = System.nanoTime();
        CompletableFuture<JudgeReply> reply;
        try {
            reply = judge.generator().generate(prompt, sampling);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.thenCompose(answer -> {
            metrics.judgeLatency(model, kind, Duration.ofNanos(System.nanoTime() - start));
            tokens.add(answer);
            try {
                return CompletableFuture.completedFuture(parser.parse(answer.text()));
            } catch (InvalidAnswerException invalid) {
                metrics.invalidAnswer(model, kind, invalid.reason());
                if (attempt < settings.invalidAnswerRetries()) {
                    return ask(judge, pairId, kind, question, prompt, temperature, parser, tokens, attempt + 1);
                }
                return CompletableFuture.failedFuture(
                    new JudgeAnswerRejectedException(judge.model(), pairId, question, attempt + 1, invalid));
            }
        });
    }

    private LabeledPair labeled(ScoredPair scored, Attributes merged, List<Vote> votes, TokenCount tokens) {
        return LabeledPair.newBuilder()
            .setScored(scored)
            .setAttributes(merged)
            .setVotes(votes)
            .setLlmMajority(VoteMerger.majority(votes))
            .setLabeledAt(clock.instant())
            .setTemplateVersion(templates.version())
            .setJudges(judgeRefs)
            .setPromptTokens(tokens.prompt())
            .setCompletionTokens(tokens.completion())
            .build();
    }

    private String truncate(String reason) {
        if (reason == null || reason.length() <= settings.rationaleMaxChars()) {
            return reason;
        }
        return reason.substring(0, settings.rationaleMaxChars() - 1) + "…";
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> calls) {
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
            .thenApply(done -> calls.stream().map(CompletableFuture::join).toList());
    }

    /** Token totals of one pair's generations; null when any generation did not report them. */
    private static final class TokenCount {
        private final AtomicLong prompt = new AtomicLong();
        private final AtomicLong completion = new AtomicLong();
        private volatile boolean unreported;

        void add(JudgeReply reply) {
            if (reply.promptTokens() == null || reply.completionTokens() == null) {
                unreported = true;
            } else {
                prompt.addAndGet(reply.promptTokens());
                completion.addAndGet(reply.completionTokens());
            }
        }

        Long prompt() {
            return unreported ? null : prompt.get();
        }

        Long completion() {
            return unreported ? null : completion.get();
        }
    }
}
