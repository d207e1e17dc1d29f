package io.prefstream.labeler.prompt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.prefstream.schemas.CandidateOrder;

/**
 * Which response a judge sees as "Candidate 1": pseudo-random per pair, judge and sample, so that
 * position bias averages out over the K samples, yet a function of (pair_id, judge, sample) alone, so
 * that a retry after a crash asks exactly the same question. Also derives the sampling seeds the same
 * way, so a re-submitted call draws the same samples.
 */
public final class CandidateOrders {
    private CandidateOrders() {
    }

    public static CandidateOrder order(String pairId, String judgeModel, int sample) {
        byte[] digest = digest("order", pairId, judgeModel, Integer.toString(sample));
        return (digest[0] & 1) == 0 ? CandidateOrder.CHOSEN_FIRST : CandidateOrder.REJECTED_FIRST;
    }

    /**
     * A non-negative 31-bit sampling seed for one attempt of one question; {@code question} names it
     * (e.g. "attributes" or "vote/2"), {@code attempt} counts re-asks after invalid answers from 0.
     */
    public static int seed(String pairId, String judgeModel, String question, int attempt) {
        byte[] d = digest("seed", pairId, judgeModel, question, Integer.toString(attempt));
        return ((d[0] & 0x7f) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
    }

    private static byte[] digest(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
