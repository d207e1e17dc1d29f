package io.prefstream.ingest.pairing;

import java.time.Duration;

/**
 * When the pairing stage emits pairs for a prompt.
 *
 * @param responsesPerPrompt K: distinct responses that release a prompt at once
 * @param gap                or no new response for this long releases it (if it has at least two)
 * @param maxPairsPerPrompt  the most pairs ever emitted for one prompt
 * @param retention          a released prompt with no new response for this long is forgotten
 */
public record PairingSettings(int responsesPerPrompt, Duration gap, int maxPairsPerPrompt, Duration retention) {
    public PairingSettings {
        if (responsesPerPrompt < 2) {
            throw new IllegalArgumentException("responses per prompt must be at least 2, got " + responsesPerPrompt);
        }
        if (maxPairsPerPrompt < 1) {
            throw new IllegalArgumentException("max pairs per prompt must be at least 1, got " + maxPairsPerPrompt);
        }
        if (gap.isNegative() || gap.isZero() || retention.compareTo(gap) <= 0) {
            throw new IllegalArgumentException("need 0 < gap < retention, got gap " + gap + ", retention " + retention);
        }
    }

    /** How often the gap and retention are checked: often enough to honour the gap within a tenth of it. */
    Duration checkInterval() {
        return gap.dividedBy(10).compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : gap.dividedBy(10);
    }
}
