package io.prefstream.streams.async;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.platform.testing.Await;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.prefstream.schemas.DeadLetter;

/** The processor's logic on the TopologyTestDriver: forwarding on drain, order, coalescing, memo, failures, bound. */
class AsyncProcessorTest {
    private final ControlledCall call = new ControlledCall();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> in;
    private TestOutputTopic<String, String> out;
    private TestOutputTopic<String, String> dlq;

    private void start(AsyncProcessorSupplier.Builder<String, String, String, String> builder) {
        AsyncProcessorSupplier<String, String, String, String> supplier = builder.metrics(registry).build();
        StreamsBuilder streams = new StreamsBuilder();
        KStream<String, AsyncOutcome<String, String>> outcomes = streams
            .stream("in", Consumed.with(Serdes.String(), Serdes.String()))
            .process(supplier, Named.as("async"));
        outcomes.filter((k, o) -> o instanceof AsyncOutcome.Success)
            .mapValues(o -> o.input() + "=" + ((AsyncOutcome.Success<String, String>) o).result()
                + (((AsyncOutcome.Success<String, String>) o).memoized() ? " (memo)" : ""))
            .to("out", Produced.with(Serdes.String(), Serdes.String()));
        outcomes.filter((k, o) -> o instanceof AsyncOutcome.Failure)
            .mapValues(o -> describe(((AsyncOutcome.Failure<String, String>) o).deadLetter()))
            .to("dlq", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "async-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(streams.build(), props);
        in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
        out = driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
        dlq = driver.createOutputTopic("dlq", new StringDeserializer(), new StringDeserializer());
    }

    private static String describe(DeadLetter d) {
        return d.getSourceTopic() + "/" + d.getPartition() + "/" + d.getOffset() + " " + d.getStage() + " "
            + d.getErrorClass() + ": " + d.getMessage() + " value=" + new String(d.getOriginalValue().array()) + " attempts=" + d.getAttempts();
    }

    private AsyncProcessorSupplier.Builder<String, String, String, String> builder() {
        return AsyncProcessorSupplier.builder("async", call, Serdes.String(), Serdes.String()).request(v -> v);
    }

    private int pendingEntries() {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore("async-pending");
        int n = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            for (; all.hasNext(); all.next()) {
                n++;
            }
        }
        return n;
    }

    private List<KeyValue<String, String>> drainUntil(int expected) {
        return Await.until(Duration.ofSeconds(10), expected + " outputs", () -> {
            driver.advanceWallClockTime(Duration.ofMillis(20));
            return out.readKeyValuesToList();
        }, list -> list.size() >= expected);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void forwardsOnlyAfterCompletionAndDeletesThePendingEntry() {
        start(builder());
        in.pipeInput("k1", "a");
        in.pipeInput("k2", "b");
        assertThat(out.isEmpty()).isTrue();
        assertThat(pendingEntries()).isEqualTo(2);

        call.succeedAll();
        List<KeyValue<String, String>> results = Await.until(Duration.ofSeconds(10), "both results", () -> {
            driver.advanceWallClockTime(Duration.ofMillis(20));
            return out.readKeyValuesToList();
        }, list -> !list.isEmpty());

        assertThat(results).containsExactlyInAnyOrder(KeyValue.pair("k1", "a=A"), KeyValue.pair("k2", "b=B"));
        assertThat(pendingEntries()).isZero();
    }

    @Test
    void outputsLeaveInCompletionOrderNotInputOrder() {
        start(builder());
        in.pipeInput("k1", "first");
        in.pipeInput("k2", "second");
        call.succeed("second", "2");
        assertThat(drainUntil(1)).containsExactly(KeyValue.pair("k2", "second=2"));
        call.succeed("first", "1");
        assertThat(drainUntil(1)).containsExactly(KeyValue.pair("k1", "first=1"));
    }

    @Test
    void recordsWithTheSameRequestKeyShareOneCallAndLaterOnesHitTheMemo() {
        start(builder().requestKey(v -> v).memo(Serdes.String()));
        in.pipeInput("pair1", "x");
        in.pipeInput("pair2", "x");
        in.pipeInput("pair3", "y");
        assertThat(call.calls("x")).isEqualTo(1);
        assertThat(pendingEntries()).isEqualTo(2);

        call.succeedAll();
        assertThat(drainUntil(3)).containsExactlyInAnyOrder(
            KeyValue.pair("pair1", "x=X"), KeyValue.pair("pair2", "x=X"), KeyValue.pair("pair3", "y=Y"));

        in.pipeInput("pair4", "x");
        assertThat(out.readKeyValue()).isEqualTo(KeyValue.pair("pair4", "x=X (memo)"));
        assertThat(call.totalCalls()).isEqualTo(2);
        assertThat(registry.get("prefstream.async.memo.hits").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("prefstream.async.coalesced").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aFailedCallDeadLettersEveryWaitingRecordWithItsOffsetAndReason() {
        start(builder().requestKey(v -> v).stage("scoring"));
        in.pipeInput("p1", "bad");
        in.pipeInput("p2", "bad");
        call.fail("bad", new IllegalStateException("endpoint unavailable after 3 retries"));

        List<String> dead = Await.until(Duration.ofSeconds(10), "two dead letters", () -> {
            driver.advanceWallClockTime(Duration.ofMillis(20));
            return dlq.readValuesToList();
        }, list -> !list.isEmpty());

        assertThat(dead).containsExactly(
            "in/0/0 scoring java.lang.IllegalStateException: async call for request bad failed: endpoint unavailable "
                + "after 3 retries value=bad attempts=1",
            "in/0/1 scoring java.lang.IllegalStateException: async call for request bad failed: endpoint unavailable "
                + "after 3 retries value=bad attempts=1");
        assertThat(out.isEmpty()).isTrue();
        assertThat(pendingEntries()).isZero();
    }

    @Test
    void aCallRetriedThroughAnOutageIsDeadLetteredWithItsAttemptsAndTheLastFailure() {
        AsyncCall<String, String> down = request -> CompletableFuture.failedFuture(
            new IllegalStateException("endpoint down"));
        start(AsyncProcessorSupplier.builder("async",
                new OutageRetry<>(down, e -> e instanceof IllegalStateException, Duration.ofMillis(1_200), 0),
                Serdes.String(), Serdes.String())
            .request(v -> v).stage("scoring"));
        in.pipeInput("p1", "v1");

        List<String> dead = Await.until(Duration.ofSeconds(10), "a dead letter", () -> {
            driver.advanceWallClockTime(Duration.ofMillis(20));
            return dlq.readValuesToList();
        }, list -> !list.isEmpty());

        // Attempts at 0 s and 0.5 s; the next pause (1 s) would pass the 1.2 s outage timeout.
        assertThat(dead).containsExactly("in/0/0 scoring java.lang.IllegalStateException: async call for request "
            + "in/0/0/0 failed: endpoint down value=v1 attempts=2");
    }

    @Test
    void closingTheTaskCancelsItsCallsInFlight() {
        start(builder());
        in.pipeInput("p1", "a");
        in.pipeInput("p2", "b");
        assertThat(call.totalCalls()).isEqualTo(2);

        driver.close();
        driver = null;

        assertThat(call.allCancelled()).as("both calls cancelled: their results would be ignored").isTrue();
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void aRequestThatCannotBeBuiltIsDeadLetteredNotThrown() {
        start(AsyncProcessorSupplier.builder("async", call, Serdes.String(), Serdes.String())
            .request(v -> {
                throw new IllegalArgumentException("no conversation in " + v);
            }));
        in.pipeInput("p1", "empty");
        List<String> dead = Await.until(Duration.ofSeconds(10), "a dead letter", () -> {
            driver.advanceWallClockTime(Duration.ofMillis(20));
            return dlq.readValuesToList();
        }, list -> !list.isEmpty());
        assertThat(dead.get(0)).contains("IllegalArgumentException", "no conversation in empty");
        assertThat(call.totalCalls()).isZero();
    }

    @Test
    void overTheBoundProcessBlocksWhileDrainingSoAtMostTheBoundIsInFlight() {
        try (DelayedCall remote = new DelayedCall(Duration.ofMillis(5))) {
            driverWith(remote, new AsyncSettings(2, 1 << 20, Duration.ofSeconds(10), Duration.ofHours(1)));
            for (int i = 0; i < 20; i++) {
                in.pipeInput("k" + i, "v" + i);
            }
            // The punctuator never ran (1 h interval, wall clock not advanced): every output that is
            // there was drained by process() itself while it waited under the bound.
            assertThat(out.readKeyValuesToList()).hasSizeGreaterThanOrEqualTo(18);
            assertThat(remote.maxOpen()).isLessThanOrEqualTo(2);
            assertThat(registry.get("prefstream.async.blocked").timer().count()).isPositive();
        }
    }

    @Test
    void blockingStopsAtMaxBlockWhenNothingCompletes() {
        driverWith(call, new AsyncSettings(1, 1 << 20, Duration.ofMillis(200), Duration.ofHours(1)));
        long start = System.nanoTime();
        in.pipeInput("k1", "stuck");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMs).isBetween(150L, 5_000L);
        assertThat(registry.get("prefstream.async.block.timeouts").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("prefstream.async.pending.records").gauge().value()).isEqualTo(1.0);
    }

    private void driverWith(AsyncCall<String, String> remote, AsyncSettings settings) {
        start(AsyncProcessorSupplier.builder("async", remote, Serdes.String(), Serdes.String())
            .request(v -> v).settings(settings));
    }
}
