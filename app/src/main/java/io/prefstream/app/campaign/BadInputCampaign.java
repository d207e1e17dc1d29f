package io.prefstream.app.campaign;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.prefstream.inference.reference.ReferenceServerSettings;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.ingest.http.IngestServer;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.schemas.topic.Topics;
import io.prefstream.schemas.topic.TopicsConfig;

/**
 * The bad-input campaign: bad requests to the HTTP ingest endpoint (each must get a 4xx naming its
 * reason) and poison records on every topic a stage consumes (each must reach the topic's dead-letter
 * topic with its reason), while the stages run as their own processes; none may crash, and good input
 * fed around the poison must still end exactly once.
 */
final class BadInputCampaign {
    /** The poison goes out once this share of the good pairs ended: every consumed topic holds records. */
    private static final double POISON_AT = 0.3;
    private static final Duration DEAD_LETTERS_TIMEOUT = Duration.ofMinutes(3);

    /** The HTTP answers, the dead letters per poison record, and what the readers found of the good input. */
    record Result(List<HttpBadInput.Answer> http, Map<TopicBadInput.Poison, List<TopicBadInput.Caught>> deadLetters,
                  List<TopicBadInput.Poison> poisons, List<String> crashed, CampaignRun.Outcome outcome) {
        long httpRefused() {
            return http.stream().filter(HttpBadInput.Answer::refusedWithReason).count();
        }

        /** Poison records with exactly one dead letter that names a reason. */
        long deadLetteredOnce() {
            return poisons.stream().filter(p -> deadLetters.getOrDefault(p, List.of()).size() == 1
                && !deadLetters.get(p).get(0).message().isBlank()).count();
        }

        int classes() {
            return http.size() + poisons.size();
        }

        boolean passed() {
            return httpRefused() == http.size() && deadLetteredOnce() == poisons.size() && crashed.isEmpty()
                && outcome.passed();
        }

        String lastLine() {
            return String.format("campaign bad-input classes=%d http_4xx=%d/%d dlq=%d/%d crashes=%d %s", classes(),
                httpRefused(), http.size(), deadLetteredOnce(), poisons.size(), crashed.size(), outcome.figures());
        }
    }

    private BadInputCampaign() {
    }

    static Result run(CampaignSettings settings, PrintStream progress) throws Exception {
        List<VariantGenerations.Prompt> input = VariantGenerations.atLeast(settings.input(), settings.pairs());
        Map<String, String> topics = Map.of(TopicsConfig.PARTITIONS, Integer.toString(settings.partitions()));
        try (CampaignStack stack = CampaignStack.start(settings.dataDir(), ReferenceServerSettings.defaults(), topics);
             PipelineProcesses pipeline = PipelineProcesses.start(settings.dataDir(), stack.settings(),
                 settings.stageHeap())) {
            progress.println("campaign bad-input: " + stack.readyLine());
            Map<String, String> ingestSettings = new TreeMap<>(stack.settings());
            ingestSettings.put(IngestConfig.MAX_TEXT_BYTES, Integer.toString(HttpBadInput.MAX_TEXT_BYTES));
            ingestSettings.put(IngestConfig.HTTP_MAX_REQUEST_BYTES, Integer.toString(HttpBadInput.MAX_REQUEST_BYTES));
            IngestConfig ingestConfig = new IngestConfig(ingestSettings);
            List<HttpBadInput.Answer> http;
            try (PrefProducer producer = IngestServer.producer(ingestConfig, Topics.from(ingestConfig));
                 IngestServer server = IngestServer.start(ingestConfig, producer, "127.0.0.1", 0)) {
                http = HttpBadInput.send(server.url());
            }
            http.forEach(a -> progress.printf("campaign bad-input: HTTP %s -> %d %s%n", a.name(), a.status(), a.reason()));

            PoisonInjection poison = new PoisonInjection(new TopicBadInput(stack.settings()), POISON_AT,
                DEAD_LETTERS_TIMEOUT, progress);
            CampaignRun.Outcome outcome = new CampaignRun("bad-input", settings, stack.settings(), pipeline, poison,
                progress).run(input);
            return new Result(http, poison.deadLetters(), poison.poisons(), pipeline.unhealthy(), outcome);
        }
    }
}
