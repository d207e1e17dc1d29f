package io.prefstream.ops;

import java.util.List;
import java.util.Locale;

/**
 * Judges a partition from a sliding window of samples, after Burrow's consumer evaluation rules,
 * adapted to samples taken at a fixed interval rather than at each offset commit:
 * <ol>
 *   <li>position below the log start offset → {@link Condition#BEHIND_RETENTION} (ERR), on the latest
 *       sample alone: data was lost to this stage whatever the trend;</li>
 *   <li>no position on a partition that holds records → {@link Condition#NO_COMMIT} (WARN);</li>
 *   <li>lag zero in any sample of the window → {@link Condition#CAUGHT_UP} (OK);</li>
 *   <li>window not yet full, or a window of a single sample → {@link Condition#WARMING_UP} (OK): trends need
 *       the whole window, and at least two samples;</li>
 *   <li>position unchanged over the whole window with lag above zero → {@link Condition#STALLED} (ERR);</li>
 *   <li>position moving but lag growing at every step and overall → {@link Condition#LAG_GROWING} (WARN);</li>
 *   <li>otherwise → {@link Condition#KEEPING_UP} (OK).</li>
 * </ol>
 * Unlike Burrow, constant non-zero lag with a moving position is OK, not WARN: with Kafka Streams' commit
 * interval a healthy stage under steady load rarely shows zero lag at the moment of a sample.
 * The window must span more than the stages' commit interval, or a healthy stage looks stalled.
 */
public final class LagEvaluator {
    private final int windowSize;

    public LagEvaluator(int windowSize) {
        if (windowSize < 1) {
            throw new IllegalArgumentException("window size must be at least 1 sample, got " + windowSize);
        }
        this.windowSize = windowSize;
    }

    public int windowSize() {
        return windowSize;
    }

    /** Evaluates {@code window} (oldest first, at most {@link #windowSize()} samples, at least one). */
    public PartitionEvaluation evaluate(String topic, int partition, List<PartitionSample> window) {
        if (window.isEmpty()) {
            throw new IllegalArgumentException("no samples for " + topic + "-" + partition);
        }
        PartitionSample first = window.get(0);
        PartitionSample last = window.get(window.size() - 1);
        Double consumeRate = rate(first, last, first.position(), last.position());
        Double produceRate = rate(first, last, first.end(), last.end());
        long lag = last.lag();
        Double drain = drainSeconds(lag, consumeRate, produceRate);
        Verdict verdict = verdict(window, first, last);
        return new PartitionEvaluation(topic, partition, last.position(), last.logStart(), last.end(), lag,
            consumeRate, produceRate, drain, verdict.condition.status(), verdict.condition, verdict.detail);
    }

    private record Verdict(Condition condition, String detail) {}

    private Verdict verdict(List<PartitionSample> window, PartitionSample first, PartitionSample last) {
        if (last.position() != null && last.position() < last.logStart()) {
            return new Verdict(Condition.BEHIND_RETENTION, (last.logStart() - last.position())
                + " records were deleted by retention before this stage read them (position " + last.position()
                + " < log start " + last.logStart() + ")");
        }
        if (last.position() == null && last.lag() > 0) {
            return new Verdict(Condition.NO_COMMIT, "no committed position while the partition holds "
                + last.lag() + " records");
        }
        if (window.stream().anyMatch(sample -> sample.lag() == 0)) {
            return new Verdict(Condition.CAUGHT_UP, "lag reached 0 within the window");
        }
        if (window.size() < windowSize) {
            return new Verdict(Condition.WARMING_UP, window.size() + " of " + windowSize + " samples");
        }
        if (window.size() < 2) {
            // one sample shows no movement, which is not a stall: a trend needs two
            return new Verdict(Condition.WARMING_UP, "a window of 1 sample judges no trend; lag " + last.lag());
        }
        boolean positionMoved = first.position() == null || !first.position().equals(last.position());
        if (!positionMoved) {
            return new Verdict(Condition.STALLED, "position stuck at " + last.position() + " for "
                + seconds(last.atMillis() - first.atMillis()) + " with lag " + last.lag());
        }
        if (lagGrewAtEveryStep(window)) {
            return new Verdict(Condition.LAG_GROWING, "lag grew from " + first.lag() + " to " + last.lag() + " in "
                + seconds(last.atMillis() - first.atMillis()));
        }
        return new Verdict(Condition.KEEPING_UP, "lag " + last.lag() + ", not growing");
    }

    private static boolean lagGrewAtEveryStep(List<PartitionSample> window) {
        for (int i = 1; i < window.size(); i++) {
            if (window.get(i).lag() < window.get(i - 1).lag()) {
                return false;
            }
        }
        return window.get(window.size() - 1).lag() > window.get(0).lag();
    }

    private static Double rate(PartitionSample first, PartitionSample last, Long from, Long to) {
        long millis = last.atMillis() - first.atMillis();
        if (millis <= 0 || from == null || to == null) {
            return null;
        }
        return (to - from) * 1000.0 / millis;
    }

    /** Seconds until lag reaches 0 at the current net rate; 0 when caught up, null when not draining. */
    static Double drainSeconds(long lag, Double consumeRate, Double produceRate) {
        if (lag == 0) {
            return 0.0;
        }
        if (consumeRate == null || produceRate == null || consumeRate <= produceRate) {
            return null;
        }
        return lag / (consumeRate - produceRate);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
