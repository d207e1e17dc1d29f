package io.prefstream.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.prefstream.ingest.produce.Accepted;
import io.prefstream.ingest.produce.PrefProducer;
import io.prefstream.ingest.read.JsonRecords;
import io.prefstream.ingest.read.RecordFormat;
import io.prefstream.ingest.validate.InvalidRecordException;
import io.prefstream.ingest.validate.Problem;
import io.prefstream.schemas.Generation;
import io.prefstream.schemas.PreferencePair;
import org.apache.avro.specific.SpecificRecord;

/**
 * One POST to {@code /v1/generations} or {@code /v1/pairs}: reads the items, validates every one,
 * and sends the valid ones only if all are valid (or {@code partial} was asked for), then answers
 * 202 once the broker has acknowledged every record sent. Invalid items get 400 (413 when a size
 * limit is the reason) with each item's index, field and reason; a Kafka that does not acknowledge
 * in time gets 503 with Retry-After. Nothing is answered 202 that was not acknowledged.
 */
final class IngestRequests {
    /** Validates one parsed draft and builds its record. */
    interface Builder<T> {
        SpecificRecord build(T draft) throws InvalidRecordException;
    }

    private final PrefProducer producer;
    private final int maxRecordBytes;
    private final long ackTimeoutMs;
    private final int retryAfterSeconds;

    IngestRequests(PrefProducer producer, int maxRecordBytes, long ackTimeoutMs, int retryAfterSeconds) {
        this.producer = producer;
        this.maxRecordBytes = maxRecordBytes;
        this.ackTimeoutMs = ackTimeoutMs;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The 202 body; throws {@link HttpError} for every other answer. */
    <T> Map<String, Object> handle(BodyType type, InputStream body, boolean partial, RecordFormat<T> format, Builder<T> builder)
        throws IOException, HttpError {
        List<SpecificRecord> records = new ArrayList<>();
        List<Integer> recordIndexes = new ArrayList<>();
        List<Map<String, Object>> rejected = new ArrayList<>();
        boolean tooLarge = false;
        List<BodyItems.Item> items = BodyItems.read(type, body, maxRecordBytes);
        if (items.isEmpty()) {
            throw new HttpError(400, "the request holds no items");
        }
        for (BodyItems.Item item : items) {
            List<Problem> problems;
            if (item.problem() != null) {
                problems = List.of(item.problem());
            } else {
                try {
                    records.add(builder.build(format.parse(JsonRecords.object(item.text()))));
                    recordIndexes.add(item.index());
                    continue;
                } catch (InvalidRecordException e) {
                    problems = e.problems();
                }
            }
            for (Problem problem : problems) {
                tooLarge |= problem.kind() == Problem.Kind.TOO_LARGE;
                rejected.add(Map.of("index", item.index(), "field", problem.field(), "reason", problem.reason()));
            }
        }
        if (!rejected.isEmpty() && (!partial || records.isEmpty())) {
            throw new HttpError(tooLarge ? 413 : 400, rejected.size() + " problem(s) in " + items.size()
                + " item(s); nothing was written" + (partial ? "" : " (add ?partial=true to write the valid ones)"),
                Map.of("rejected", rejected), Map.of());
        }
        List<Accepted> acknowledged = send(records);
        List<Map<String, Object>> accepted = new ArrayList<>();
        for (int i = 0; i < acknowledged.size(); i++) {
            Map<String, Object> ids = new LinkedHashMap<>();
            ids.put("index", recordIndexes.get(i));
            ids.putAll(ids(acknowledged.get(i).record()));
            accepted.add(ids);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", accepted);
        answer.put("rejected", rejected);
        return answer;
    }

    private List<Accepted> send(List<SpecificRecord> records) throws HttpError {
        try {
            return producer.sendAll(records).get(ackTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InvalidRecordException e) {
            throw new IllegalStateException("a record built by the validator was refused by it: " + e.getMessage(), e);
        } catch (ExecutionException | TimeoutException e) {
            String reason = e instanceof TimeoutException ? "no acknowledgement within " + ackTimeoutMs + " ms"
                : String.valueOf(e.getCause());
            throw new HttpError(503, "Kafka unavailable (" + reason + "); the request was not acknowledged, retry it "
                + "(ids make a retry safe)", Map.of(), Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while waiting for Kafka", Map.of(),
                Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        }
    }

    static Map<String, Object> ids(SpecificRecord record) {
        Map<String, Object> ids = new LinkedHashMap<>();
        if (record instanceof Generation generation) {
            ids.put("prompt_id", generation.getPromptId());
            ids.put("response_id", generation.getResponseId());
        } else if (record instanceof PreferencePair pair) {
            ids.put("pair_id", pair.getPairId());
            ids.put("prompt_id", pair.getPromptId());
            ids.put("chosen_response_id", pair.getChosen().getResponseId());
            ids.put("rejected_response_id", pair.getRejected().getResponseId());
        }
        return ids;
    }
}
