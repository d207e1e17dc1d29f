package io.prefstream.app.campaign;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Windows during which something the stages depend on is taken away or degraded (the broker, the
 * inference server), each starting at a share of the pairs ended and lasting a given time, while the
 * stage processes keep running untouched: their clients must ride it out. A window runs on its own
 * thread, so the campaign's loop keeps going (and its feed may block on a missing broker) meanwhile.
 */
final class Outages implements Disruption {
    /** One window: {@code begin} at {@code atShare} of the pairs ended, {@code end} after {@code duration}. */
    record Window(String what, double atShare, Duration duration, Runnable begin, Runnable end) {}

    private final PrintStream progress;
    private final List<Window> pending;
    private final List<Double> secondsDown = new CopyOnWriteArrayList<>();
    private volatile Thread running;
    private volatile RuntimeException failure;

    Outages(List<Window> windows, PrintStream progress) {
        this.progress = progress;
        this.pending = new ArrayList<>(windows);
        pending.sort(Comparator.comparingDouble(Window::atShare));
    }

    @Override
    public void onProgress(double endedShare) {
        if (failure != null) {
            throw new IllegalStateException("could not end an outage: " + failure, failure);
        }
        if ((running == null || !running.isAlive()) && !pending.isEmpty() && pending.get(0).atShare() <= endedShare) {
            Window window = pending.remove(0);
            progress.printf("campaign: %s at %.0f%% of the pairs ended, for %s%n", window.what(), endedShare * 100,
                window.duration());
            running = new Thread(() -> run(window), "campaign-outage");
            running.start();
        }
    }

    private void run(Window window) {
        long began = System.nanoTime();
        try {
            window.begin().run();
            Thread.sleep(window.duration().toMillis()); // the outage itself: how long it lasts
            window.end().run();
            double seconds = (System.nanoTime() - began) / 1e9;
            secondsDown.add(seconds);
            progress.printf("campaign: %s over after %.1f s%n", window.what(), seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    @Override
    public boolean done() {
        return pending.isEmpty() && (running == null || !running.isAlive());
    }

    /** Wall-clock seconds of each window, from its beginning to the end being back. */
    List<Double> secondsDown() {
        return secondsDown;
    }

    @Override
    public String status() {
        return "outages done " + secondsDown.size() + (running != null && running.isAlive() ? " (one under way)" : "")
            + ", " + pending.size() + " to go";
    }
}
