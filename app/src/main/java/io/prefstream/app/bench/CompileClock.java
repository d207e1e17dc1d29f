package io.prefstream.app.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * A reading of the JVM's JIT compilation time (summed over the compiler threads) and the wall clock:
 * two readings give the share of the machine's CPU (all cores) that went to compiling in between.
 */
record CompileClock(long compileMillis, long wallNanos) {

    static CompileClock now() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        long compiled = compiler != null && compiler.isCompilationTimeMonitoringSupported()
            ? compiler.getTotalCompilationTime() : 0;
        return new CompileClock(compiled, System.nanoTime());
    }

    /** The share of all cores' time since {@code start} spent compiling; 0 where the JVM does not report it. */
    double shareSince(CompileClock start) {
        double wallMillis = (wallNanos - start.wallNanos) / 1e6;
        int cores = Runtime.getRuntime().availableProcessors();
        return wallMillis <= 0 ? 0 : (compileMillis - start.compileMillis) / (wallMillis * cores);
    }
}
