package io.prefstream.labeler.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.prefstream.inference.judge.JudgeContract;
import io.prefstream.labeler.answer.AnswerLimits;
import io.prefstream.schemas.Attributes;

/**
 * The two prompts of the labeller, as versioned templates: the <b>attribute</b> prompt (task category,
 * objectivity, controversiality, desired attributes, guideline) and the <b>vote</b> prompt (which of
 * "Candidate 1" and "Candidate 2" is better, given the merged attributes). Both follow
 * {@link JudgeContract}: section headers {@code ### Conversation}, {@code ### Candidate 1/2},
 * {@code ### Instructions}, and a JSON answer.
 *
 * <p>Bundled sets live in {@code io/prefstream/labeler/templates/<name>/{attributes,vote}.txt}; either file
 * can be replaced by one on disk. The recorded {@link #version()} is {@code <name>@<12 hex of SHA-256 of
 * both texts>}, so an edited template is told apart from the bundled one even under the same name.
 */
public final class PromptTemplates {
    public static final String CONVERSATION = "conversation";
    public static final String CATEGORIES = "categories";
    public static final String MAX_DESIRED_ATTRIBUTES = "max_desired_attributes";
    public static final String CANDIDATE_1 = "candidate_1";
    public static final String CANDIDATE_2 = "candidate_2";
    public static final String TASK_CATEGORY = "task_category";
    public static final String DESIRED_ATTRIBUTES = "desired_attributes";
    public static final String GUIDELINE = "guideline";

    private static final String BUNDLED = "/io/prefstream/labeler/templates/";
    private static final Set<String> ATTRIBUTE_PLACEHOLDERS = Set.of(CONVERSATION, CATEGORIES, MAX_DESIRED_ATTRIBUTES);
    private static final Set<String> VOTE_PLACEHOLDERS = Set.of(CONVERSATION, CANDIDATE_1, CANDIDATE_2, TASK_CATEGORY,
        DESIRED_ATTRIBUTES, GUIDELINE, CATEGORIES);
    private static final String CATEGORY_LIST = JudgeContract.CATEGORIES.stream().map(c -> "\"" + c + "\"")
        .collect(Collectors.joining(", "));

    private final PromptTemplate attributes;
    private final PromptTemplate vote;
    private final String version;

    private PromptTemplates(String name, String attributesText, String voteText) {
        this.attributes = new PromptTemplate("attribute template " + name, attributesText, Set.of(CONVERSATION),
            ATTRIBUTE_PLACEHOLDERS);
        this.vote = new PromptTemplate("vote template " + name, voteText, Set.of(CONVERSATION, CANDIDATE_1, CANDIDATE_2),
            VOTE_PLACEHOLDERS);
        this.version = name + "@" + shortHash(attributesText, voteText);
    }

    /** The bundled set {@code name} (e.g. "v1"). */
    public static PromptTemplates bundled(String name) {
        return load(name, null, null);
    }

    /** The bundled set {@code name}, with either template replaced by a file when its path is not null. */
    public static PromptTemplates load(String name, Path attributesFile, Path voteFile) {
        String attributesText = attributesFile != null ? read(attributesFile) : resource(name, "attributes.txt");
        String voteText = voteFile != null ? read(voteFile) : resource(name, "vote.txt");
        return new PromptTemplates(name, attributesText, voteText);
    }

    /** {@code <name>@<hash>}, recorded in every labelled pair. */
    public String version() {
        return version;
    }

    public String attributePrompt(String conversation) {
        return attributes.render(Map.of(CONVERSATION, conversation, CATEGORIES, CATEGORY_LIST,
            MAX_DESIRED_ATTRIBUTES, Integer.toString(AnswerLimits.MAX_DESIRED_ATTRIBUTES)));
    }

    /** The vote prompt with {@code candidate1} and {@code candidate2} in the order they are to be shown. */
    public String votePrompt(String conversation, String candidate1, String candidate2, Attributes merged) {
        return vote.render(Map.of(CONVERSATION, conversation, CANDIDATE_1, candidate1.strip(),
            CANDIDATE_2, candidate2.strip(), TASK_CATEGORY, merged.getTaskCategory(),
            DESIRED_ATTRIBUTES, String.join(", ", merged.getDesiredAttributes()), GUIDELINE, merged.getGuideline(),
            CATEGORIES, CATEGORY_LIST));
    }

    private static String resource(String name, String file) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("template set name '" + name + "' may only use letters, digits, . _ -");
        }
        try (InputStream in = PromptTemplates.class.getResourceAsStream(BUNDLED + name + "/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled template set '" + name + "' (missing " + file
                    + "); bundled: v1. Point labeler.template.*.file at your own files instead");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled template " + name + "/" + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt template " + file + ": " + e.getMessage(), e);
        }
    }

    private static String shortHash(String... texts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String text : texts) {
                sha.update(text.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
