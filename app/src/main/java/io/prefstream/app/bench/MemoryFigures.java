package io.prefstream.app.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Peak resident memory per stage process with the pending target reached, against the same process
 * idle before any input (its peak from start-up to the end of the idle window), in MiB.
 */
record MemoryFigures(Map<String, Long> idlePeakMb, Map<String, Long> loadedPeakMb, long pending, long maxHeapMb) {

    MemoryFigures {
        idlePeakMb = new LinkedHashMap<>(idlePeakMb);
        loadedPeakMb = new LinkedHashMap<>(loadedPeakMb);
    }

    double vsIdle(String stage) {
        return loadedPeakMb.get(stage) / (double) Math.max(1, idlePeakMb.get(stage));
    }

    /** e.g. {@code memory pairing_mb=310 consistency_mb=420 labeler_mb=530 sink_mb=400 pending=10000 xmx_mb=512 labeler_vs_idle=1.6x}. */
    String line() {
        String stages = loadedPeakMb.entrySet().stream().map(e -> e.getKey() + "_mb=" + e.getValue())
            .collect(Collectors.joining(" "));
        return String.format(Locale.ROOT, "memory %s pending=%d xmx_mb=%d labeler_vs_idle=%.2fx", stages, pending,
            maxHeapMb, vsIdle("labeler"));
    }
}
