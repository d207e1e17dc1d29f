package io.prefstream.labeler.vote;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.prefstream.labeler.answer.AnswerLimits;
import io.prefstream.labeler.answer.AttributeAnswer;
import io.prefstream.schemas.Attributes;
import io.prefstream.schemas.Controversiality;

/**
 * Merges the attribute answers of the M judges (in configured order) into one {@link Attributes}:
 * <ul>
 *   <li>task category and objectivity: the most frequent answer; a tie goes to the judge listed first;</li>
 *   <li>controversiality: the most frequent; a tie goes to the higher level (disagreement is itself a
 *       sign of controversy);</li>
 *   <li>desired attributes: the union in order of first mention, case-insensitively deduplicated, at most
 *       {@value AnswerLimits#MAX_DESIRED_ATTRIBUTES};</li>
 *   <li>guideline: the first judge's.</li>
 * </ul>
 * With one judge the merge is its answer unchanged.
 */
public final class AttributeMerger {
    private AttributeMerger() {
    }

    public static Attributes merge(List<AttributeAnswer> answers) {
        if (answers.isEmpty()) {
            throw new IllegalArgumentException("no attribute answer to merge");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> desired = new ArrayList<>();
        for (AttributeAnswer answer : answers) {
            for (String quality : answer.desiredAttributes()) {
                if (desired.size() < AnswerLimits.MAX_DESIRED_ATTRIBUTES && seen.add(quality.toLowerCase(Locale.ROOT))) {
                    desired.add(quality);
                }
            }
        }
        return Attributes.newBuilder()
            .setTaskCategory(mostFrequent(answers, AttributeAnswer::taskCategory, Comparator.comparingInt(v -> 0)))
            .setPreferenceObjectivity(mostFrequent(answers, AttributeAnswer::objectivity, Comparator.comparingInt(v -> 0)))
            .setControversiality(mostFrequent(answers, AttributeAnswer::controversiality,
                Comparator.comparing(Controversiality::ordinal)))
            .setDesiredAttributes(desired)
            .setGuideline(answers.get(0).guideline())
            .build();
    }

    /**
     * The value given most often; among equally frequent values the greatest by {@code tieBreak}, and
     * among those still equal the one given first.
     */
    private static <T> T mostFrequent(List<AttributeAnswer> answers, Function<AttributeAnswer, T> field,
                                      Comparator<T> tieBreak) {
        Map<T, Integer> counts = new LinkedHashMap<>();
        answers.forEach(a -> counts.merge(field.apply(a), 1, Integer::sum));
        T best = null;
        int bestCount = 0;
        for (Map.Entry<T, Integer> entry : counts.entrySet()) {
            boolean more = entry.getValue() > bestCount;
            boolean tieButGreater = entry.getValue() == bestCount && tieBreak.compare(entry.getKey(), best) > 0;
            if (more || tieButGreater) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }
}
