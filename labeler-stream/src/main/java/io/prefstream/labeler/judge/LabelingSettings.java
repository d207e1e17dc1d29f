package io.prefstream.labeler.judge;

import java.util.List;

/**
 * How a pair is put to the judges.
 *
 * @param judges               the M judge models, in order (the first one's guideline is kept)
 * @param samplesPerJudge      K: vote samples drawn from each judge
 * @param voteTemperature      sampling temperature of vote prompts (K samples need it above 0 to differ)
 * @param attributeTemperature sampling temperature of attribute prompts
 * @param reaskMinTemperature  temperature floor of re-asks after an invalid answer, so that a greedy judge
 *                             does not repeat the same invalid answer
 * @param maxTokens            max_tokens of every generation
 * @param invalidAnswerRetries N: how many times an invalid answer is asked again before the pair is dead-lettered
 * @param rationaleMaxChars    vote reasons are stored truncated to this many characters
 */
public record LabelingSettings(List<JudgeEndpoint> judges, int samplesPerJudge, double voteTemperature,
                               double attributeTemperature, double reaskMinTemperature, int maxTokens,
                               int invalidAnswerRetries, int rationaleMaxChars) {
    public LabelingSettings {
        judges = List.copyOf(judges);
        if (judges.isEmpty()) {
            throw new IllegalArgumentException("at least one judge model is needed");
        }
        if (judges.stream().map(j -> j.model().name()).distinct().count() != judges.size()) {
            throw new IllegalArgumentException("judge models must be distinct, got "
                + judges.stream().map(JudgeEndpoint::model).toList());
        }
        if (samplesPerJudge < 1 || maxTokens < 1 || invalidAnswerRetries < 0 || rationaleMaxChars < 1) {
            throw new IllegalArgumentException("samples per judge, max tokens and rationale length must be at least 1, "
                + "invalid-answer retries at least 0");
        }
    }

    /** Judge generations per pair when every answer is valid: M attribute prompts and M × K vote prompts. */
    public int callsPerPair() {
        return judges.size() * (1 + samplesPerJudge);
    }
}
