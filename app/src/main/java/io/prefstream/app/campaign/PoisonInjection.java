package io.prefstream.app.campaign;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Poison records in the middle of a run: once {@code atShare} of the pairs ended (so every consumed
 * topic holds real records to derive them from), one poison record per kind and consumed topic goes
 * out, and this waits, on its own thread, until each has its dead letter or the timeout passes. The
 * good input keeps flowing meanwhile.
 */
final class PoisonInjection implements Disruption {
    private static final Duration SAMPLES_TIMEOUT = Duration.ofMinutes(3);

    private final TopicBadInput topics;
    private final double atShare;
    private final Duration timeout;
    private final PrintStream progress;
    private volatile Thread running;
    private volatile List<TopicBadInput.Poison> poisons = List.of();
    private volatile Map<TopicBadInput.Poison, List<TopicBadInput.Caught>> caught = Map.of();
    private volatile RuntimeException failure;

    PoisonInjection(TopicBadInput topics, double atShare, Duration timeout, PrintStream progress) {
        this.topics = topics;
        this.atShare = atShare;
        this.timeout = timeout;
        this.progress = progress;
    }

    @Override
    public void onProgress(double endedShare) {
        if (failure != null) {
            throw new IllegalStateException("could not inject the poison records: " + failure, failure);
        }
        if (running == null && endedShare >= atShare) {
            running = new Thread(this::inject, "campaign-poison");
            running.start();
        }
    }

    private void inject() {
        try {
            List<TopicBadInput.Poison> made = topics.poisons(topics.samples(SAMPLES_TIMEOUT));
            topics.send(made);
            poisons = made;
            progress.printf("campaign bad-input: %d poison records sent%n", made.size());
            caught = topics.awaitDeadLetters(made, timeout, () -> { });
        } catch (RuntimeException e) {
            failure = e;
        } catch (Exception e) {
            failure = new IllegalStateException(e);
        }
    }

    List<TopicBadInput.Poison> poisons() {
        return poisons;
    }

    Map<TopicBadInput.Poison, List<TopicBadInput.Caught>> deadLetters() {
        return caught;
    }

    @Override
    public boolean done() {
        return running != null && !running.isAlive();
    }

    @Override
    public String status() {
        return running == null ? "poison not sent yet" : "poison records sent " + poisons.size() + ", with a dead letter "
            + caught.size() + (running.isAlive() ? " (waiting)" : "");
    }
}
