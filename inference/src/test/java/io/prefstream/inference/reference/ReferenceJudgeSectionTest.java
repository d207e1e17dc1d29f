package io.prefstream.inference.reference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReferenceJudgeSectionTest {

    @Test
    void readsTheTextUnderAHeaderUpToTheNextHeader() {
        String prompt = "### Conversation\nHi there\n### Candidate 1\nfirst\n### Candidate 2\nsecond";
        assertThat(ReferenceJudge.section(prompt, "### Candidate 1")).isEqualTo("first");
        assertThat(ReferenceJudge.section(prompt, "### Candidate 2")).isEqualTo("second");
        assertThat(ReferenceJudge.section(prompt, "### Missing")).isNull();
    }

    @Test
    void anEmptySectionIsEmptyNotAnError() {
        // a long AlpacaEval prompt once made the reference judge fail with StringIndexOutOfBoundsException here
        String prompt = "### Candidate 1\n### Candidate 2\nsecond";
        assertThat(ReferenceJudge.section(prompt, "### Candidate 1")).isEmpty();
        assertThat(ReferenceJudge.section(prompt, "### Candidate 2")).isEqualTo("second");
    }
}
