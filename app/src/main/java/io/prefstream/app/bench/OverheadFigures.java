package io.prefstream.app.bench;

import java.util.Locale;

/**
 * The overhead ratio, from counts and times: pipeline pairs per second over the records per second an
 * exactly-once passthrough copies, records of the same sizes on the same broker.
 */
record OverheadFigures(long pipelinePairs, double pipelineSeconds, long passthroughRecords, double passthroughSeconds) {

    double pipelinePairsPerSecond() {
        return pipelinePairs / pipelineSeconds;
    }

    double passthroughRecordsPerSecond() {
        return passthroughRecords / passthroughSeconds;
    }

    double ratio() {
        return pipelinePairsPerSecond() / passthroughRecordsPerSecond();
    }

    /** The last line: {@code overhead pipeline_vs_passthrough=0.42}. */
    String line() {
        return String.format(Locale.ROOT, "overhead pipeline_vs_passthrough=%.3f", ratio());
    }
}
