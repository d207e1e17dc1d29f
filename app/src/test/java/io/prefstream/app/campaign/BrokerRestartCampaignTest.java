package io.prefstream.app.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.prefstream.platform.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker-restart campaign at CI size: the four stages as separate processes, left running while
 * the broker shuts down cleanly mid-run and comes back on the same data and port. Every expected pair
 * must end exactly once and the table must hold exactly the curated pairs.
 */
class BrokerRestartCampaignTest {
    private static final int PAIRS = 900;

    @Test
    void everyPairEndsExactlyOnceAcrossABrokerRestart(@TempDir Path dir) throws Exception {
        CampaignSettings settings = CampaignSettings.ci(SharedData.file(SharedData.ALPACA_EVAL), PAIRS, dir);

        BrokerRestartCampaign.Result result = BrokerRestartCampaign.run(settings, List.of(0.3), Duration.ofSeconds(10),
            new PrintStream(System.err, true));

        System.out.println(result.outcome().findings().summary());
        System.out.println(result.lastLine());
        assertThat(result.outcome().completed()).as("every pair ended and the table caught up in time").isTrue();
        assertThat(result.secondsDown()).as("one outage of at least the downtime").singleElement()
            .satisfies(seconds -> assertThat(seconds).isGreaterThanOrEqualTo(10.0));
        CampaignAssertions.assertExactlyOnce(result.outcome().findings(), PAIRS);
    }
}
