package io.prefstream.streams.async;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Creates {@link AsyncProcessor}s and declares their state stores, so that
 * {@code stream.process(supplier)} (or {@code Topology.addProcessor}) connects them by itself:
 * <ul>
 *   <li>{@code <name>-pending}: request key to the input records waiting for that call (changelogged)</li>
 *   <li>{@code <name>-memo}, when {@link Builder#memo memoization} is on: request key to result
 *       (changelogged)</li>
 * </ul>
 * Both are cached (Kafka Streams' record cache, {@code statestore.cache.max.bytes}): a pending entry
 * is rewritten each time a record joins it and deleted when its call completes, often within one
 * commit interval, so the cache keeps those intermediate versions out of the changelog. Caching
 * does not weaken exactly-once: the cache is flushed to the store and its changelog at every commit,
 * inside the transaction that also holds the outputs and the input offsets.
 *
 * <pre>{@code
 * AsyncProcessorSupplier<String, Task, Request, Float> score = AsyncProcessorSupplier
 *     .builder("reward", rewardCall, Serdes.String(), taskSerde)
 *     .request(task -> new Request(task.model(), task.conversation()))
 *     .requestKey(task -> task.responseId() + "@" + task.model())
 *     .memo(Serdes.Float())
 *     .settings(settings).stage("consistency").metrics(registry)
 *     .build();
 * KStream<String, AsyncOutcome<Task, Float>> scored = tasks.process(score, Named.as("reward"));
 * }</pre>
 */
public final class AsyncProcessorSupplier<K, V, Req, R> implements ProcessorSupplier<K, V, K, AsyncOutcome<V, R>> {
    private final String name;
    private final AsyncCall<Req, R> call;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final Function<V, Req> request;
    private final Function<V, String> requestKey;
    private final Serde<R> memoSerde;
    private final AsyncSettings settings;
    private final String stage;
    private final MeterRegistry metrics;

    private AsyncProcessorSupplier(Builder<K, V, Req, R> b) {
        this.name = b.name;
        this.call = b.call;
        this.keySerde = b.keySerde;
        this.valueSerde = b.valueSerde;
        this.request = Objects.requireNonNull(b.request, "request(...) must be set");
        this.requestKey = b.requestKey;
        this.memoSerde = b.memoSerde;
        this.settings = b.settings;
        this.stage = b.stage;
        this.metrics = b.metrics;
        if (memoSerde != null && requestKey == null) {
            throw new IllegalArgumentException("memoization needs requestKey(...): the memo store is keyed by it");
        }
    }

    /**
     * @param name       names the processor's stores and metrics; unique within the topology
     * @param call       the remote call
     * @param keySerde   serde of the input keys, used to keep waiting records in the pending store
     * @param valueSerde serde of the input values, likewise
     */
    public static <K, V, Req, R> Builder<K, V, Req, R> builder(String name, AsyncCall<Req, R> call, Serde<K> keySerde,
                                                               Serde<V> valueSerde) {
        return new Builder<>(name, call, keySerde, valueSerde);
    }

    @Override
    public Processor<K, V, K, AsyncOutcome<V, R>> get() {
        return new AsyncProcessor<>(this);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        Set<StoreBuilder<?>> stores = new HashSet<>();
        stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(pendingStoreName()), Serdes.String(),
            Serdes.ByteArray()).withCachingEnabled());
        if (memoSerde != null) {
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(memoStoreName()), Serdes.String(),
                memoSerde).withCachingEnabled());
        }
        return stores;
    }

    public String name() {
        return name;
    }

    public String pendingStoreName() {
        return name + "-pending";
    }

    /** The memo store's name; only meaningful when memoization is on. */
    public String memoStoreName() {
        return name + "-memo";
    }

    boolean memoized() {
        return memoSerde != null;
    }

    AsyncCall<Req, R> call() {
        return call;
    }

    Serde<K> keySerde() {
        return keySerde;
    }

    Serde<V> valueSerde() {
        return valueSerde;
    }

    Function<V, Req> request() {
        return request;
    }

    /** The coalescing key function, or null when every record is its own call. */
    Function<V, String> requestKey() {
        return requestKey;
    }

    AsyncSettings settings() {
        return settings;
    }

    String stage() {
        return stage;
    }

    MeterRegistry metrics() {
        return metrics;
    }

    /** Configures an {@link AsyncProcessorSupplier}; only {@link #request} is required. */
    public static final class Builder<K, V, Req, R> {
        private final String name;
        private final AsyncCall<Req, R> call;
        private final Serde<K> keySerde;
        private final Serde<V> valueSerde;
        private Function<V, Req> request;
        private Function<V, String> requestKey;
        private Serde<R> memoSerde;
        private AsyncSettings settings = AsyncSettings.defaults();
        private String stage;
        private MeterRegistry metrics = new SimpleMeterRegistry();

        private Builder(String name, AsyncCall<Req, R> call, Serde<K> keySerde, Serde<V> valueSerde) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("the async processor needs a name");
            }
            this.name = name;
            this.stage = name;
            this.call = Objects.requireNonNull(call, "call");
            this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
            this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
        }

        /** Builds the request for an input value. It must be deterministic: it runs again after a restart. */
        public Builder<K, V, Req, R> request(Function<V, Req> value) {
            this.request = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Makes one call per distinct key among the records in flight: a record whose key is already
         * pending waits for that call instead of making its own. Without it, each record is its own call.
         */
        public Builder<K, V, Req, R> requestKey(Function<V, String> value) {
            this.requestKey = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Keeps every successful result in a changelogged memo store under its request key; a record
         * whose key is there gets the result without a call. Put everything the result depends on
         * (model name and version, ...) into the request key: that is how a new version invalidates it.
         */
        public Builder<K, V, Req, R> memo(Serde<R> resultSerde) {
            this.memoSerde = Objects.requireNonNull(resultSerde);
            return this;
        }

        public Builder<K, V, Req, R> settings(AsyncSettings value) {
            this.settings = Objects.requireNonNull(value);
            return this;
        }

        /** The stage named in dead letters (default: the processor name). */
        public Builder<K, V, Req, R> stage(String value) {
            this.stage = Objects.requireNonNull(value);
            return this;
        }

        public Builder<K, V, Req, R> metrics(MeterRegistry value) {
            this.metrics = Objects.requireNonNull(value);
            return this;
        }

        public AsyncProcessorSupplier<K, V, Req, R> build() {
            return new AsyncProcessorSupplier<>(this);
        }
    }
}
