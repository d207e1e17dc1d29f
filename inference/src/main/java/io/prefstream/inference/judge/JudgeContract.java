package io.prefstream.inference.judge;

import java.util.List;

/**
 * The prompt/answer contract between PrefStream's labeller and an LLM judge, which the reference
 * judge implements deterministically and which real judges are prompted to follow.
 *
 * <h2>Prompts</h2>
 * A prompt is free text containing sections, each introduced by a header line:
 * <ul>
 *   <li>{@value #CONVERSATION_HEADER}: the conversation, as {@code User: ...} / {@code Assistant: ...}
 *       paragraphs (the final assistant turn is not part of it)</li>
 *   <li>{@value #CANDIDATE_1_HEADER} and {@value #CANDIDATE_2_HEADER}: the two candidate final
 *       assistant responses (vote prompts only)</li>
 *   <li>{@value #INSTRUCTIONS_HEADER}: what to answer; optional for the reference judge</li>
 * </ul>
 * A prompt with both candidate sections is a <b>vote prompt</b>; a prompt without them that names
 * {@value #TASK_CATEGORY} is an <b>attribute prompt</b>.
 *
 * <h2>Answers</h2>
 * One JSON object, nothing else:
 * <ul>
 *   <li>attribute prompt: {@code {"task_category": one of CATEGORIES, "preference_objectivity":
 *       "objective"|"subjective", "controversiality": "low"|"medium"|"high",
 *       "desired_attributes": [strings], "guideline": string}}</li>
 *   <li>vote prompt: {@code {"preferred": "Candidate 1"|"Candidate 2", "confidence": 0.5..1.0,
 *       "reason": string}}</li>
 * </ul>
 */
public final class JudgeContract {
    public static final String CONVERSATION_HEADER = "### Conversation";
    public static final String CANDIDATE_1_HEADER = "### Candidate 1";
    public static final String CANDIDATE_2_HEADER = "### Candidate 2";
    public static final String INSTRUCTIONS_HEADER = "### Instructions";

    public static final String TASK_CATEGORY = "task_category";
    public static final String PREFERENCE_OBJECTIVITY = "preference_objectivity";
    public static final String CONTROVERSIALITY = "controversiality";
    public static final String DESIRED_ATTRIBUTES = "desired_attributes";
    public static final String GUIDELINE = "guideline";

    public static final String PREFERRED = "preferred";
    public static final String CONFIDENCE = "confidence";
    public static final String REASON = "reason";
    public static final String CANDIDATE_1 = "Candidate 1";
    public static final String CANDIDATE_2 = "Candidate 2";

    public static final List<String> CATEGORIES = List.of("harmful_request", "coding", "math", "creative_writing",
        "advice", "information_seeking", "chitchat");

    private JudgeContract() {}
}
