package io.prefstream.ops;

import java.time.Instant;
import java.util.List;

/**
 * Every stage's lag at one moment. {@code status} is the worst stage's; {@code samples} is how many
 * samples the window holds so far, out of {@code windowSize}, and {@code spanMillis} the time they cover.
 */
public record LagReport(Instant at, int samples, int windowSize, long spanMillis, Status status,
                        List<StageLag> stages) {

    static LagReport of(Instant at, int samples, int windowSize, long spanMillis, List<StageLag> stages) {
        Status status = stages.stream().map(StageLag::status).reduce(Status.OK, Status::worst);
        return new LagReport(at, samples, windowSize, spanMillis, status, stages);
    }

    /** The stage named {@code stage}, for callers and tests. */
    public StageLag stage(String stage) {
        return stages.stream().filter(s -> s.stage().equals(stage)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no stage '" + stage + "' in this report; stages: "
                + stages.stream().map(StageLag::stage).toList()));
    }
}
