package io.prefstream.consistency;

import io.prefstream.schemas.PreferencePair;

/** Why a pair cannot be scored, or null when it can. */
final class PairCheck {
    private PairCheck() {
    }

    static String problem(PreferencePair pair) {
        if (pair.getChosen().getResponseId().equals(pair.getRejected().getResponseId())) {
            return "chosen and rejected are the same response " + pair.getChosen().getResponseId();
        }
        return null;
    }
}
