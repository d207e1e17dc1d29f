package io.prefstream.app.campaign;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code prefstream campaign bad-input}: every class of bad input gets a 4xx or a dead letter; 0 crashes. */
@Command(name = "bad-input", mixinStandardHelpOptions = true,
    description = {
        "Runs the broker, the schema registry and the reference inference server in this process, every stage as "
            + "its own process, and the HTTP ingest endpoint; sends one bad request per class (malformed JSON, wrong "
            + "types, missing fields, empty and huge texts, invalid UTF-8, chosen == rejected, unknown content type, "
            + "...) and one poison record per class and consumed topic (wrong magic byte, unknown schema id, "
            + "truncated Avro, a header fragment, a foreign schema), while good input flows. Prints what "
            + "each class got; passes when every request got a 4xx naming its reason, every poison record exactly one "
            + "dead letter with its reason, no stage crashed, and the good input ended exactly once.",
        "Last line: 'campaign bad-input classes=N http_4xx=N/N dlq=N/N crashes=0 pairs=N lost=N ...'."})
public final class BadInputCampaignCommand implements Callable<Integer> {

    @Mixin
    CampaignOptions options;

    @Option(names = "--pairs", defaultValue = "600",
        description = "Good pairs fed while the bad input goes in (default: ${DEFAULT-VALUE}).")
    long pairs;

    @Override
    public Integer call() throws Exception {
        CampaignSettings settings = options.settings("bad-input", pairs);
        BadInputCampaign.Result result = BadInputCampaign.run(settings, System.err);
        result.http().forEach(a -> System.out.printf("http  %-28s %d %s%n", a.name(), a.status(), a.reason()));
        for (TopicBadInput.Poison poison : result.poisons()) {
            List<TopicBadInput.Caught> letters = result.deadLetters().getOrDefault(poison, List.of());
            System.out.printf("topic %-45s %d dead letter(s)%s%n", poison.name(), letters.size(), letters.isEmpty() ? ""
                : " by " + letters.get(0).stage() + ": " + letters.get(0).errorClass() + ": " + letters.get(0).message());
        }
        result.outcome().print(System.out);
        System.out.println("stages not alive after the poison: " + result.crashed());
        return options.finish(settings, result.passed(), result.lastLine());
    }
}
