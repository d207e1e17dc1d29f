package io.prefstream.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;

/**
 * Reads the server's counters every interval on its own thread, so a run's steady-state rate can be
 * told from its ramp-up and its tail: {@link #steadyRate} is the rate between the moments a counter
 * passed 10% and 90% of its final value.
 */
final class CounterSampler implements AutoCloseable {
    private record Sample(long nanos, ServerCounters counters) {}

    private final InferenceClient client;
    private final long intervalMs;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    CounterSampler(Map<String, String> settings, long intervalMs) {
        this.client = new InferenceClient(new InferenceConfig(settings), new SimpleMeterRegistry());
        this.intervalMs = intervalMs;
        thread = new Thread(this::loop, "bench-counter-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            ServerCounters counters = ServerCounters.read(client);
            synchronized (samples) {
                samples.add(new Sample(System.nanoTime(), counters));
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Items per second of {@code counter} between 10% and 90% of its last sampled value; 0 if too few samples. */
    double steadyRate(ToLongFunction<ServerCounters> counter) {
        List<Sample> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        if (copy.size() < 3) {
            return 0;
        }
        long first = counter.applyAsLong(copy.get(0).counters());
        long total = counter.applyAsLong(copy.get(copy.size() - 1).counters()) - first;
        Sample low = null;
        Sample high = null;
        for (Sample s : copy) {
            long done = counter.applyAsLong(s.counters()) - first;
            if (low == null && done >= total / 10) {
                low = s;
            }
            if (high == null && done >= total * 9 / 10) {
                high = s;
            }
        }
        if (low == null || high == null || high.nanos() == low.nanos()) {
            return 0;
        }
        return (counter.applyAsLong(high.counters()) - counter.applyAsLong(low.counters()))
            / ((high.nanos() - low.nanos()) / 1e9);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        client.close();
    }
}
