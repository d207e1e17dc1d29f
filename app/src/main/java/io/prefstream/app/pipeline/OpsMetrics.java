package io.prefstream.app.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a stage process's {@code /metrics} (Prometheus text) as an operator's scraper would, at the ops
 * address the stage printed in its log, and sums the samples of one metric that carry a given label.
 * Used by the resilience campaigns and the memory benchmark.
 */
public final class OpsMetrics {
    private static final Pattern OPS_LINE = Pattern.compile(": /metrics, /healthz and /readyz on (http://\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private OpsMetrics() {
    }

    /** The ops URL the process printed last in its log, or null before it printed one. */
    public static String opsUrl(Path log) {
        try {
            String url = null;
            for (String line : Files.readAllLines(log)) {
                Matcher matcher = OPS_LINE.matcher(line);
                if (matcher.find()) {
                    url = matcher.group(1);
                }
            }
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** The Prometheus text at {@code opsUrl}/metrics, or null if the stage does not answer right now. */
    public static String scrape(String opsUrl) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(opsUrl + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The status of {@code opsUrl}/healthz (200 while alive), or -1 if the stage does not answer. */
    public static int health(String opsUrl) {
        return status(opsUrl + "/healthz");
    }

    /** The status of {@code opsUrl}/readyz (200 once ready), or -1 if the stage does not answer. */
    public static int readiness(String opsUrl) {
        return status(opsUrl + "/readyz");
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sum of the samples of {@code metric} whose labels contain every one of {@code labels} (e.g. outcome="failure"). */
    public static double sum(String text, String metric, List<String> labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
                continue;
            }
            int brace = line.indexOf('}');
            String labelText = brace < 0 ? "" : line.substring(metric.length(), brace + 1);
            if (labels.stream().allMatch(labelText::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Largest sample of {@code metric}, or 0 without one. */
    public static double max(String text, String metric) {
        double max = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                max = Math.max(max, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return max;
    }
}
