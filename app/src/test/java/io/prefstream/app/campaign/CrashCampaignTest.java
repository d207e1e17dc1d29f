package io.prefstream.app.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

import io.prefstream.platform.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash campaign at CI size: the four stages as separate processes, each SIGKILLed twice at seeded
 * random points and restarted, over the real AlpacaEval generations. Every expected pair must end
 * exactly once and the table must hold exactly the curated pairs. Its own broker, as the whole-system
 * runs (the campaign owns its stack, like the demo does).
 */
class CrashCampaignTest {
    private static final int PAIRS = 1_200;
    private static final int KILLS_PER_STAGE = 2;

    @Test
    void everyPairEndsExactlyOnceAcrossRepeatedSigkillsOfEveryStage(@TempDir Path dir) throws Exception {
        CampaignSettings settings = CampaignSettings.ci(SharedData.file(SharedData.ALPACA_EVAL), PAIRS, dir);

        CrashCampaign.Result result = CrashCampaign.run(settings, KILLS_PER_STAGE, Duration.ofSeconds(12),
            new PrintStream(System.err, true));

        System.out.println(result.outcome().findings().summary());
        System.out.println(result.lastLine());
        assertThat(result.outcome().completed()).as("every pair ended and the table caught up in time").isTrue();
        assertThat(result.kills()).as("SIGKILLs per stage").containsOnlyKeys(PipelineProcesses.STAGES)
            .allSatisfy((stage, kills) -> assertThat(kills).as(stage).isEqualTo(KILLS_PER_STAGE));
        CampaignAssertions.assertExactlyOnce(result.outcome().findings(), PAIRS);
    }
}
