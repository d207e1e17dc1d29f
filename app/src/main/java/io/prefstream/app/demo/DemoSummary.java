package io.prefstream.app.demo;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the demo reports when everything is processed. Counts are distinct pairs; {@code pairs}
 * equals accepted + flipped + rejected + review + dlq, and the table holds accepted + flipped rows.
 */
record DemoSummary(long ingested, long pairs, long consensus, long adjudicated, long accepted, long flipped,
                   long rejected, long review, long dlq, Map<String, Long> inferenceCalls, long snapshotId,
                   String table, long tableRows, double elapsedSeconds) {

    boolean consistent() {
        return pairs == accepted + flipped + rejected + review + dlq && tableRows == accepted + flipped;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("ingested     %,d%n", ingested));
        out.append(String.format("pairs        %,d%n", pairs));
        out.append(String.format("consensus    %,d  (accepted by the reward models alone, no LLM call)%n", consensus));
        out.append(String.format("adjudicated  %,d  (sent to the LLM judges)%n", adjudicated));
        out.append(String.format("accepted     %,d%n", accepted));
        out.append(String.format("flipped      %,d%n", flipped));
        out.append(String.format("rejected     %,d%n", rejected));
        out.append(String.format("review       %,d%n", review));
        out.append(String.format("dlq          %,d%n", dlq));
        inferenceCalls.forEach((model, calls) -> out.append(String.format("calls %-7s %,d%n", model, calls)));
        out.append(String.format("table        %s (%,d rows, snapshot %d)%n", table, tableRows, snapshotId));
        out.append(String.format("elapsed      %.1f s%n", elapsedSeconds));
        out.append(consistent() ? "invariants   ok: every pair ended once; table rows = accepted + flipped\n"
            : "invariants   VIOLATED: the counts above do not add up\n");
        return out.toString();
    }

    String json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ingested", ingested);
        fields.put("pairs", pairs);
        fields.put("consensus", consensus);
        fields.put("adjudicated", adjudicated);
        fields.put("accepted", accepted);
        fields.put("flipped", flipped);
        fields.put("rejected", rejected);
        fields.put("review", review);
        fields.put("dlq", dlq);
        fields.put("inference_calls", inferenceCalls);
        fields.put("snapshot_id", snapshotId);
        fields.put("table", table);
        fields.put("table_rows", tableRows);
        fields.put("elapsed_s", Math.round(elapsedSeconds * 10) / 10.0);
        try {
            return new ObjectMapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("summary is not serializable", e);
        }
    }
}
