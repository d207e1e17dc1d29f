package io.prefstream.sinks.cli;

import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations written as ISO-8601 ({@code PT5M}) or as a number with a unit: 500ms, 30s, 5m, 2h, 7d. */
public final class Durations implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new TypeConversionException(unreadable(value));
            };
        } catch (RuntimeException e) {
            if (e instanceof TypeConversionException conversion) {
                throw conversion;
            }
            throw new TypeConversionException(unreadable(value));
        }
    }

    private static String unreadable(String value) {
        return "'" + value + "' is not a duration: write e.g. 500ms, 30s, 5m, 2h, 7d or PT5M";
    }
}
