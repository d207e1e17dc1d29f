package io.prefstream.streams.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.prefstream.streams.async.PendingCall.Waiter;

class PendingCallTest {
    private static Waiter waiter(long offset, String value) {
        return new Waiter("k".getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8),
            1_000 + offset, "in", 2, offset);
    }

    @Test
    void encodesEveryWaiterAndDecodesThemBackInOrder() {
        PendingCall call = PendingCall.of(waiter(7, "a")).plus(waiter(9, null)).plus(new Waiter(null, null, 5, "", -1, -1));
        PendingCall back = PendingCall.decode(call.encode());
        assertThat(back.waiters()).hasSize(3);
        assertThat(back.first().offset()).isEqualTo(7);
        assertThat(new String(back.first().value(), StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(back.waiters().get(1).value()).isNull();
        assertThat(back.waiters().get(2).key()).isNull();
        assertThat(back.waiters().get(2).timestamp()).isEqualTo(5);
    }

    @Test
    void theSameInputRecordIsRecognisedSoAReplayDoesNotWaitTwice() {
        PendingCall call = PendingCall.of(waiter(7, "a"));
        assertThat(call.contains(waiter(7, "a"))).isTrue();
        assertThat(call.contains(waiter(8, "a"))).isFalse();
        assertThat(call.contains(waiter(7, "b"))).as("another record derived from the same offset").isFalse();
    }

    @Test
    void anUnknownEncodingVersionFailsNamingIt() {
        byte[] bytes = PendingCall.of(waiter(1, "a")).encode();
        bytes[0] = 9;
        assertThatThrownBy(() -> PendingCall.decode(bytes)).hasMessageContaining("encoding version 9");
    }
}
