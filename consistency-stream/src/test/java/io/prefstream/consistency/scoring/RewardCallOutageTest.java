package io.prefstream.consistency.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.prefstream.inference.client.InferenceException;
import org.junit.jupiter.api.Test;

class RewardCallOutageTest {

    @Test
    void anEndpointThatIsAwayOrGoingAwayIsAnOutage() {
        for (Status.Code code : new Status.Code[] {Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED}) {
            assertThat(RewardCall.isOutage(new InferenceException("rm-best", code, "away"))).as(code.name()).isTrue();
        }
    }

    @Test
    void aBadRequestOrAnswerIsNot() {
        assertThat(RewardCall.isOutage(new InferenceException("rm-best", Status.Code.INVALID_ARGUMENT, "bad"))).isFalse();
        assertThat(RewardCall.isOutage(new InferenceException("rm-best", Status.Code.INTERNAL, "failed"))).isFalse();
        assertThat(RewardCall.isOutage(new IllegalStateException("not an inference failure"))).isFalse();
    }
}
