package io.prefstream.labeler.vote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.prefstream.labeler.answer.AttributeAnswer;
import io.prefstream.schemas.Attributes;
import io.prefstream.schemas.CandidateOrder;
import io.prefstream.schemas.Controversiality;
import io.prefstream.schemas.Preference;
import io.prefstream.schemas.PreferenceObjectivity;
import io.prefstream.schemas.Vote;

class MergeTest {
    private static List<Vote> votes(Preference... preferred) {
        return Arrays.stream(preferred).map(p -> new Vote("j", "1", 0, CandidateOrder.CHOSEN_FIRST, p, null)).toList();
    }

    @Test
    void majorityAndTieRule() {
        assertThat(VoteMerger.majority(votes(Preference.CHOSEN, Preference.CHOSEN, Preference.REJECTED)))
            .isEqualTo(Preference.CHOSEN);
        assertThat(VoteMerger.majority(votes(Preference.REJECTED))).isEqualTo(Preference.REJECTED);
        assertThat(VoteMerger.majority(votes(Preference.CHOSEN, Preference.REJECTED))).isEqualTo(Preference.TIE);
        assertThat(VoteMerger.majority(votes(Preference.CHOSEN, Preference.INVALID, Preference.TIE, Preference.INVALID)))
            .as("invalid and tie votes abstain").isEqualTo(Preference.CHOSEN);
        assertThat(VoteMerger.majority(votes(Preference.INVALID))).isNull();
        assertThat(VoteMerger.majority(List.of())).isNull();
    }

    @Test
    void attributesOfSeveralJudgesMerge() {
        AttributeAnswer a = new AttributeAnswer("advice", PreferenceObjectivity.SUBJECTIVE, Controversiality.LOW,
            List.of("empathy", "Honesty"), "first guideline");
        AttributeAnswer b = new AttributeAnswer("information_seeking", PreferenceObjectivity.OBJECTIVE,
            Controversiality.HIGH, List.of("honesty", "accuracy"), "second guideline");
        AttributeAnswer c = new AttributeAnswer("information_seeking", PreferenceObjectivity.SUBJECTIVE,
            Controversiality.MEDIUM, List.of("brevity"), "third guideline");

        Attributes two = AttributeMerger.merge(List.of(a, b));
        assertThat(two.getTaskCategory()).as("tie: first judge wins").isEqualTo("advice");
        assertThat(two.getPreferenceObjectivity()).isEqualTo(PreferenceObjectivity.SUBJECTIVE);
        assertThat(two.getControversiality()).as("tie: the higher level").isEqualTo(Controversiality.HIGH);
        assertThat(two.getDesiredAttributes()).containsExactly("empathy", "Honesty", "accuracy");
        assertThat(two.getGuideline()).isEqualTo("first guideline");

        Attributes three = AttributeMerger.merge(List.of(a, b, c));
        assertThat(three.getTaskCategory()).isEqualTo("information_seeking");
        assertThat(three.getPreferenceObjectivity()).isEqualTo(PreferenceObjectivity.SUBJECTIVE);
        assertThat(three.getControversiality()).isEqualTo(Controversiality.HIGH);
    }
}
