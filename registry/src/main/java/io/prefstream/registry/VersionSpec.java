package io.prefstream.registry;

/** A version as written in a URL: a number from 1 up, or {@code latest} (also spelled {@code -1}, as Confluent allows). */
public record VersionSpec(int number) {
    private static final VersionSpec LATEST = new VersionSpec(-1);

    public static VersionSpec parse(String text) {
        if ("latest".equals(text)) {
            return LATEST;
        }
        int number;
        try {
            number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw Errors.invalidVersion(text);
        }
        if (number == -1) {
            return LATEST;
        }
        if (number < 1) {
            throw Errors.invalidVersion(text);
        }
        return new VersionSpec(number);
    }

    public boolean isLatest() {
        return number == -1;
    }

    @Override
    public String toString() {
        return isLatest() ? "latest" : Integer.toString(number);
    }
}
