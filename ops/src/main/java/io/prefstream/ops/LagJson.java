package io.prefstream.ops;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The machine-readable form of a {@link LagReport}: snake_case keys, {@code at} as an ISO-8601 string,
 * rates in records/s, {@code drain_seconds} null when not draining. The shape is documented in
 * docs/METRICS.md and checked by {@code LagCommandTest}.
 */
public final class LagJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();

    private LagJson() {}

    /** One line of JSON (NDJSON in {@code --watch --json}). */
    public static String write(LagReport report) {
        try {
            return MAPPER.writeValueAsString(new Document(report.at().toString(), report.samples(), report.windowSize(),
                report.spanMillis(), report.status(), report.stages()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write lag report as JSON", e);
        }
    }

    /** Field order of the top level: {@code at} as text rather than as Jackson's Instant encoding. */
    private record Document(String at, int samples, int windowSize, long spanMillis, Status status,
                            List<StageLag> stages) {}
}
