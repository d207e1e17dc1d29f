package io.prefstream.consistency.scoring;

import io.prefstream.inference.reward.Conversation;
import io.prefstream.schemas.ModelRef;

/** One conversation (prompt turns plus the response) to be scored by one reward model. */
public record RewardRequest(ModelRef model, Conversation conversation) {
}
