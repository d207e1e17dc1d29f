package io.prefstream.app.campaign;

import static org.assertj.core.api.Assertions.assertThat;

/** What every campaign must show: each fed pair ended exactly once, and the table holds exactly the curated ones. */
final class CampaignAssertions {
    private CampaignAssertions() {
    }

    static void assertExactlyOnce(TerminalAudit.Findings findings, long minPairs) {
        assertThat(findings.pairs()).as("pairs fed").isGreaterThanOrEqualTo(minPairs);
        assertThat(findings.lost()).as("lost").isZero();
        assertThat(findings.duplicated()).as("duplicated").isZero();
        assertThat(findings.deadLetteredAgain()).as("dead-lettered more than once").isZero();
        assertThat(findings.multipleEnds()).as("ended in two places").isZero();
        assertThat(findings.unexpectedPairs()).as("pairs nobody fed").isZero();
        assertThat(findings.accepted() + findings.flipped() + findings.rejected() + findings.review()
            + findings.deadLettered()).as("one end per pair").isEqualTo(findings.pairs());
        assertThat(findings.tableRows()).as("table rows = accepted + flipped")
            .isEqualTo(findings.accepted() + findings.flipped()).isPositive();
        assertThat(findings.curatedMissingFromTable()).as("curated but not in the table").isZero();
        assertThat(findings.tableRowsNotCurated()).as("in the table but not curated").isZero();
        assertThat(findings.clean()).isTrue();
    }
}
