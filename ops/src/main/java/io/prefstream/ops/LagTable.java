package io.prefstream.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The human form of a {@link LagReport}: one summary line per stage followed by its partitions, in
 * aligned columns; status coloured when {@code ansi} (green OK, yellow WARN, red ERR).
 */
public final class LagTable {
    private static final String[] HEADER = {"STAGE", "TOPIC", "PART", "POSITION", "END", "LAG", "PROD/s", "CONS/s",
        "DRAIN", "STATUS", "WHY"};

    private LagTable() {}

    public static List<String> render(LagReport report, boolean ansi) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (StageLag stage : report.stages()) {
            String who = stage.kind().equals(StageLag.POSITION_SOURCE) ? stage.stage() + " (external)"
                : stage.stage() + " (" + stage.members() + " members, " + stage.state() + ")";
            rows.add(new String[] {who, "*", "*", "", "", Long.toString(stage.lag()), rate(stage.produceRate()),
                rate(stage.consumeRate()), drain(stage.drainSeconds(), stage.lag(), stage.consumeRate()), stage.status().name(),
                stage.condition().name()});
            for (PartitionEvaluation p : stage.partitions()) {
                rows.add(new String[] {"", p.topic(), Integer.toString(p.partition()),
                    p.position() == null ? "-" : Long.toString(p.position()), Long.toString(p.end()),
                    Long.toString(p.lag()), rate(p.produceRate()), rate(p.consumeRate()), drain(p.drainSeconds(), p.lag(), p.consumeRate()),
                    p.status().name(), p.condition().name() + (p.status() == Status.OK ? "" : ": " + p.detail())});
            }
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s  status %s  window %d/%d samples over %.1fs", report.at(),
            colour(report.status(), report.status().name(), ansi), report.samples(), report.windowSize(),
            report.spanMillis() / 1000.0));
        if (report.stages().isEmpty()) {
            lines.add("no stages found (no matching consumer group and no position source)");
            return lines;
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = i < row.length - 1 ? pad(row[i], widths[i], i >= 2 && i <= 8) : row[i];
                if (i == 9 && row != HEADER) {
                    cell = colour(Status.valueOf(row[i]), cell, ansi);
                }
                line.append(cell).append(i < row.length - 1 ? "  " : "");
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    private static String pad(String cell, int width, boolean right) {
        String spaces = " ".repeat(width - cell.length());
        return right ? spaces + cell : cell + spaces;
    }

    private static String colour(Status status, String text, boolean ansi) {
        if (!ansi) {
            return text;
        }
        String code = switch (status) {
            case OK -> "32";
            case WARN -> "33";
            case ERR -> "1;31";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    private static String rate(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f", rate);
    }

    /** Drain time as 0s / 42s / 7m05s / 3h12m; "never" when lag is not shrinking, "-" before rates are known. */
    static String drain(Double seconds, long lag, Double consumeRate) {
        if (seconds == null) {
            return lag == 0 ? "0s" : consumeRate == null ? "-" : "never";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
