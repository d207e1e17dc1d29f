package io.prefstream.ingest.cli;

import java.util.concurrent.CountDownLatch;

/**
 * How the long-running commands wait: until their shutdown hook ran (SIGINT/SIGTERM), or until the calling
 * thread is interrupted (an embedding launcher, a test), which runs the hook's shutdown right away.
 */
final class StopSignal {
    private StopSignal() {}

    /** Waits for {@code stopped}; on interrupt runs {@code hook} itself and keeps the interrupt flag set. */
    static void await(CountDownLatch stopped, Thread hook) {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs anyway
                Thread.currentThread().interrupt();
                return;
            }
            hook.run();
            Thread.currentThread().interrupt();
        }
    }
}
