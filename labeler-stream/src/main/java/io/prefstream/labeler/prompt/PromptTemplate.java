package io.prefstream.labeler.prompt;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt text with {@code {{name}}} placeholders. Rendering is a single pass, so text put into a
 * placeholder (a response that happens to contain {@code {{guideline}}}) is never expanded again.
 */
public final class PromptTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9_]+)}}");

    private final String name;
    private final String text;
    private final Set<String> placeholders;

    /**
     * @param name     names the template in error messages (e.g. "vote template v1")
     * @param required placeholders the template must use
     * @param allowed  every placeholder it may use; anything else is a typo and rejected
     */
    public PromptTemplate(String name, String text, Set<String> required, Set<String> allowed) {
        this.name = name;
        this.text = text;
        this.placeholders = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        for (String used : placeholders) {
            if (!allowed.contains(used)) {
                throw new IllegalArgumentException(name + " uses unknown placeholder {{" + used + "}}; known: " + allowed);
            }
        }
        for (String needed : required) {
            if (!placeholders.contains(needed)) {
                throw new IllegalArgumentException(name + " lacks the required placeholder {{" + needed + "}}");
            }
        }
    }

    public String text() {
        return text;
    }

    /** The text with every placeholder replaced by its value; a missing value is a bug in the caller. */
    public String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 1024);
        int copied = 0;
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(name + ": no value for {{" + m.group(1) + "}}");
            }
            // appended as is (not Matcher.appendReplacement, which would scan every value for $ and \)
            out.append(text, copied, m.start()).append(value);
            copied = m.end();
        }
        out.append(text, copied, text.length());
        return out.toString();
    }
}
