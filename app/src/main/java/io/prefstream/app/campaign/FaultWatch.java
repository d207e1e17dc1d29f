package io.prefstream.app.campaign;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.prefstream.app.pipeline.OpsMetrics;

/**
 * The inference faults, plus what an operator would watch meanwhile: every couple of seconds it scrapes
 * the {@code /metrics} of the stages that call inference and keeps, per stage, the highest circuit state
 * seen (0 closed, 1 half-open, 2 open), the current one, and the client's retry and failure counters.
 */
final class FaultWatch implements Disruption {
    static final List<String> INFERENCE_STAGES = List.of("consistency", "labeler");
    private static final long SCRAPE_EVERY_NANOS = 2_000_000_000L;

    /** What the scrapes of one stage showed. */
    record Seen(double maxCircuitState, double circuitState, double retries, double failedCalls, double calls,
                int scrapes) {
        @Override
        public String toString() {
            return String.format("circuit max %.0f now %.0f, calls %.0f, retried attempts %.0f, failed calls %.0f "
                + "(%d scrapes)", maxCircuitState, circuitState, calls, retries, failedCalls, scrapes);
        }
    }

    private final Outages faults;
    private final PipelineProcesses pipeline;
    private final Map<String, Seen> seen = new LinkedHashMap<>();
    private long nextScrape;

    FaultWatch(Outages faults, PipelineProcesses pipeline) {
        this.faults = faults;
        this.pipeline = pipeline;
        INFERENCE_STAGES.forEach(stage -> seen.put(stage, new Seen(0, 0, 0, 0, 0, 0)));
    }

    @Override
    public void onProgress(double endedShare) {
        faults.onProgress(endedShare);
        if (System.nanoTime() >= nextScrape) {
            scrape();
            nextScrape = System.nanoTime() + SCRAPE_EVERY_NANOS;
        }
    }

    /** Scrapes every inference stage once more; the last scrape is the state after recovery. */
    void scrape() {
        for (String stage : INFERENCE_STAGES) {
            String url = OpsMetrics.opsUrl(pipeline.stage(stage).log());
            String text = url == null ? null : OpsMetrics.scrape(url);
            if (text == null) {
                continue;
            }
            double circuit = OpsMetrics.max(text, "prefstream_inference_circuit_state");
            Seen before = seen.get(stage);
            seen.put(stage, new Seen(Math.max(before.maxCircuitState(), circuit), circuit,
                OpsMetrics.sum(text, "prefstream_inference_retries_total", List.of()),
                OpsMetrics.sum(text, "prefstream_inference_requests_total", List.of("outcome=\"failure\"")),
                OpsMetrics.sum(text, "prefstream_inference_requests_total", List.of()), before.scrapes() + 1));
        }
    }

    Map<String, Seen> seen() {
        return seen;
    }

    List<Double> windowSeconds() {
        return faults.secondsDown();
    }

    @Override
    public boolean done() {
        return faults.done();
    }

    @Override
    public String status() {
        StringBuilder status = new StringBuilder(faults.status());
        seen.forEach((stage, s) -> status.append(String.format(" | %s circuit %.0f retries %.0f", stage,
            s.circuitState(), s.retries())));
        return status.toString();
    }
}
