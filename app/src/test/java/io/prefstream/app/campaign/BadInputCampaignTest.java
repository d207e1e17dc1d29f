package io.prefstream.app.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import io.prefstream.platform.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input campaign at CI size: every class of bad request gets a 4xx naming its reason, every
 * class of poison record exactly one dead letter with its reason from the stage that consumes it, no
 * stage dies, and the good input fed meanwhile ends exactly once.
 */
class BadInputCampaignTest {

    @Test
    void everyClassOfBadInputGetsA4xxOrADeadLetterAndNoStageCrashes(@TempDir Path dir) throws Exception {
        CampaignSettings settings = CampaignSettings.ci(SharedData.file(SharedData.ALPACA_EVAL), 60, dir);

        BadInputCampaign.Result result = BadInputCampaign.run(settings, new PrintStream(System.err, true));

        System.out.println(result.lastLine());
        assertThat(result.classes()).as("classes of bad input").isGreaterThanOrEqualTo(30);
        assertThat(result.http()).allSatisfy(answer -> assertThat(answer.refusedWithReason())
            .as(answer.name() + " -> " + answer.status() + " " + answer.reason()).isTrue());
        assertThat(result.poisons()).allSatisfy(poison -> {
            List<TopicBadInput.Caught> letters = result.deadLetters().getOrDefault(poison, List.of());
            assertThat(letters).as(poison.name()).singleElement()
                .satisfies(letter -> assertThat(letter.message()).isNotBlank());
        });
        assertThat(result.crashed()).as("stages not alive after the poison").isEmpty();
        CampaignAssertions.assertExactlyOnce(result.outcome().findings(), 60);
        assertThat(result.passed()).isTrue();
    }
}
