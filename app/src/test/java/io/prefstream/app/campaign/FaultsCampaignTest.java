package io.prefstream.app.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

import io.prefstream.platform.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference-faults campaign at CI size: the stages started before the inference server and waiting
 * for it, then 10% UNAVAILABLE and 2% malformed answers, the server down for 5 s, then too slow for the
 * call deadline for 12 s, the stages never restarted. Every pair ends
 * once, nothing is duplicated on the topics or in the table, and the labeler's /metrics show its
 * circuit open during the faults, its retries, and the circuit closed again at the end. (At this size
 * the consistency stage has scored most pairs before the server goes down, so mainly the labeler meets
 * the outage; the full size by hand, in docs/RESILIENCE.md, shows the consistency stage's circuit too.) A pair whose
 * calls failed past their retries is dead-lettered once.
 */
class FaultsCampaignTest {

    @Test
    void everyPairEndsOnceThroughErrorsAnOutageAndTimeoutsWithoutARestart(@TempDir Path dir) throws Exception {
        CampaignSettings settings = CampaignSettings.ci(SharedData.file(SharedData.ALPACA_EVAL), 600, dir);

        FaultsCampaign.Result result = FaultsCampaign.run(settings,
            new FaultsCampaign.Faults(0.10, 0.02, 0.3, Duration.ofSeconds(5), 0.6, Duration.ofSeconds(12)),
            new PrintStream(System.err, true));

        System.out.println(result.metrics());
        System.out.println(result.lastLine());
        TerminalAudit.Findings findings = result.outcome().findings();
        assertThat(result.outcome().completed()).as("every pair ended without a restart, in time").isTrue();
        assertThat(result.startupWaitSeconds()).as("both inference stages waited for the missing server").isPositive();
        assertThat(result.windowSeconds()).as("fault windows that ran").hasSize(2);
        CampaignAssertions.assertExactlyOnce(findings, 600);
        FaultWatch.Seen labeler = result.metrics().get("labeler");
        assertThat(labeler.scrapes()).as("labeler /metrics scraped").isPositive();
        assertThat(labeler.maxCircuitState()).as("labeler circuit opened, as /metrics shows").isEqualTo(2);
        assertThat(labeler.retries()).as("labeler retried attempts").isPositive();
        assertThat(labeler.circuitState()).as("labeler circuit closed again, without a restart").isZero();
    }
}
