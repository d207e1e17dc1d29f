package io.prefstream.app.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a benchmark command in this JVM and reads its output: lines and {@code key=value} figures. */
final class BenchOutput {
    private static final Pattern KEY_VALUE = Pattern.compile("(\\w+)=([0-9.]+)x?");

    final List<String> lines;

    private BenchOutput(String text) {
        this.lines = text.lines().toList();
    }

    static BenchOutput run(Object command, String... args) {
        StringWriter out = new StringWriter();
        int code = new CommandLine(command).setOut(new PrintWriter(out)).execute(args);
        assertThat(code).as("exit code; output:%n%s", out).isZero();
        return new BenchOutput(out.toString());
    }

    String last() {
        return lines.get(lines.size() - 1);
    }

    /** The line starting with {@code prefix}. */
    String line(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in " + lines));
    }

    /** The numeric {@code key=value} pairs of a line. */
    static Map<String, Double> figures(String line) {
        Map<String, Double> figures = new TreeMap<>();
        Matcher m = KEY_VALUE.matcher(line);
        while (m.find()) {
            figures.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return figures;
    }

    /** The first integer after {@code label} in {@code line}. */
    static long number(String line, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\D*(\\d+)").matcher(line);
        assertThat(m.find()).as("'%s' followed by a number in: %s", label, line).isTrue();
        return Long.parseLong(m.group(1));
    }
}
