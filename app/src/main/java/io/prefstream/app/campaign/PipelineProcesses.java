package io.prefstream.app.campaign;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.prefstream.app.pipeline.OpsMetrics;
import io.prefstream.app.pipeline.StageProcess;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.ingest.config.IngestConfig;
import io.prefstream.platform.ops.OpsServerConfig;
import io.prefstream.sinks.config.SinkConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The four stages of the pipeline (pairing, consistency, labeler, sink), each its own process started
 * as deployed, with one properties file per stage in the campaign's directory: its own state
 * directory, static group membership (a restarted process takes its partitions back at once), a free
 * ops port. Closing stops them with SIGTERM.
 */
final class PipelineProcesses implements AutoCloseable {
    static final List<String> STAGES = List.of("pairing", "consistency", "labeler", "sink");
    private static final int LOG_TAIL_LINES = 30;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final Map<String, String> common;
    private final Map<String, StageProcess> processes = new LinkedHashMap<>();

    private PipelineProcesses(Path dir, Map<String, String> common) {
        this.dir = dir;
        this.common = common;
    }

    /**
     * Starts every stage against {@code common} (addresses, topic settings, any extra client or
     * inference setting) plus its own settings.
     */
    static PipelineProcesses start(Path dir, Map<String, String> common, String heap) throws IOException {
        PipelineProcesses pipeline = new PipelineProcesses(dir, common);
        try {
            for (String stage : STAGES) {
                StageProcess process = new StageProcess(stage, pipeline.writeConfig(stage), dir.resolve(stage + ".log"),
                    heap, STOP_TIMEOUT);
                pipeline.processes.put(stage, process);
                process.start();
            }
            return pipeline;
        } catch (IOException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    StageProcess stage(String name) {
        return processes.get(name);
    }

    /** Fails, naming the stage and its log, if a stage process stopped without being killed. */
    void checkNoneExited() {
        for (StageProcess stage : processes.values()) {
            if (stage.exitCode() != null) {
                throw new IllegalStateException("the " + stage.stage() + " stage exited on its own with code "
                    + stage.exitCode() + "; the end of " + stage.log() + ":\n" + stage.logTail(LOG_TAIL_LINES));
            }
        }
    }

    /**
     * Stages not alive: their process exited, or their {@code /healthz} does not answer 200 (a stage whose
     * stream threads died keeps its process up; liveness is what a kubelet would restart it on).
     */
    List<String> unhealthy() {
        List<String> unhealthy = new ArrayList<>();
        for (StageProcess stage : processes.values()) {
            String url = OpsMetrics.opsUrl(stage.log());
            if (stage.exitCode() != null || url == null || OpsMetrics.health(url) != 200) {
                unhealthy.add(stage.stage());
            }
        }
        return unhealthy;
    }

    Map<String, Integer> kills() {
        Map<String, Integer> kills = new LinkedHashMap<>();
        processes.values().forEach(s -> kills.put(s.stage(), s.kills()));
        return kills;
    }

    /** The settings of one stage's process. */
    Map<String, String> settings(String stage) {
        Map<String, String> settings = new TreeMap<>(common);
        settings.put(OpsServerConfig.PORT, "0");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").resolve(stage).toString());
        switch (stage) {
            case "pairing" -> {
                // AlpacaEval has 6 answers per prompt; a prompt with fewer distinct ones is paired after the gap
                settings.put(IngestConfig.PAIRING_RESPONSES_PER_PROMPT, "6");
                settings.put(IngestConfig.PAIRING_GAP_MS, "2000");
                // listing the topics at start takes long on a loaded machine; giving up there is no crash test
                settings.put(IngestConfig.STARTUP_TIMEOUT_MS, "180000");
            }
            // as the pipeline benchmark: judge prompts are one request each, let the batches fill
            case "consistency", "labeler" -> settings.putIfAbsent(InferenceConfig.MAX_IN_FLIGHT, "128");
            case "sink" -> {
                settings.put(SinkConfig.DATA_DIR, dir.resolve("sink").toString());
                settings.put(SinkConfig.PARTITIONS, "all");
                settings.put(SinkConfig.COMMIT_INTERVAL_MS, "1000");
                settings.put(SinkConfig.COMMIT_RECORDS, "2000");
            }
            default -> throw new IllegalArgumentException("unknown stage " + stage);
        }
        if (!stage.equals("sink")) {
            // static membership; the sink assigns itself every partition and keeps its offsets in the table
            settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "campaign-" + stage);
        }
        return settings;
    }

    private Path writeConfig(String stage) throws IOException {
        Path file = dir.resolve(stage + ".properties");
        Files.createDirectories(dir);
        Properties properties = new Properties();
        properties.putAll(settings(stage));
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "campaign: the " + stage + " stage");
        }
        return file;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (StageProcess stage : processes.values()) {
            try {
                stage.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
