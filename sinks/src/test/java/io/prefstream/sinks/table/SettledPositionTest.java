package io.prefstream.sinks.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/** When a committed hint moves the sink's position past its table's offset, and when it must not. */
class SettledPositionTest {

    @Test
    void aHintPastTheTableOffsetItExtendsIsThePosition() {
        assertThat(SettledPosition.resolve(69L, SettledPosition.hint(70, 69))).isEqualTo(70);
        // the table went on since: its offset wins
        assertThat(SettledPosition.resolve(120L, SettledPosition.hint(70, 69))).isEqualTo(120);
        // nothing in the table, and only markers or aborted records before the hint
        assertThat(SettledPosition.resolve(null, SettledPosition.hint(3, -1))).isEqualTo(3);
    }

    @Test
    void aHintIsIgnoredWhenTheTableNoLongerCoversItsBaseOrItIsNotTheSinks() {
        // table rolled back (or recreated) below the offset the hint was based on
        assertThat(SettledPosition.resolve(40L, SettledPosition.hint(70, 69))).isEqualTo(40);
        assertThat(SettledPosition.resolve(null, SettledPosition.hint(70, 69))).isNull();
        // an offset somebody else committed to the group, without the sink's metadata
        assertThat(SettledPosition.resolve(10L, new OffsetAndMetadata(500))).isEqualTo(10);
        assertThat(SettledPosition.resolve(10L, new OffsetAndMetadata(500, "prefstream.sink.table-next=x"))).isEqualTo(10);
        assertThat(SettledPosition.resolve(10L, null)).isEqualTo(10);
    }

    @Test
    void aHintMustBePastTheTableOffset() {
        assertThatThrownBy(() -> SettledPosition.hint(69, 69))
            .hasMessage("a settled position must be past the table's offset 69, got 69");
    }
}
