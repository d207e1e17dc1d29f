package io.prefstream.app.campaign;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bad requests to the HTTP ingest endpoint, one per class, each of which must get a 4xx whose JSON body
 * names the reason ({@code {"error": "..."}}), and must write nothing.
 */
final class HttpBadInput {
    /** Texts longer than this are refused: the campaign sets {@code ingest.max.text.bytes} to it. */
    static final int MAX_TEXT_BYTES = 10_000;
    /** Bodies longer than this are refused: the campaign sets {@code ingest.http.max.request.bytes} to it. */
    static final int MAX_REQUEST_BYTES = 200_000;

    private static final String GENERATIONS = "/v1/generations";
    private static final String PAIRS = "/v1/pairs";
    private static final String JSON = "application/json";
    private static final String GOOD_PROMPT = "[{\"role\": \"user\", \"content\": \"Name a prime number.\"}]";

    record Case(String name, String method, String path, String contentType, byte[] body) {}

    /** What the endpoint answered to one case. */
    record Answer(String name, int status, String reason) {
        boolean refusedWithReason() {
            return status >= 400 && status < 500 && reason != null && !reason.isBlank();
        }
    }

    private HttpBadInput() {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        post(cases, "malformed JSON", GENERATIONS, "{\"prompt\": [");
        post(cases, "not a JSON object", GENERATIONS, "42");
        post(cases, "prompt of the wrong type", GENERATIONS, "{\"prompt\": 5, \"response\": \"7\", \"generator\": \"m\"}");
        post(cases, "response of the wrong type", GENERATIONS,
            "{\"prompt\": " + GOOD_PROMPT + ", \"response\": 7, \"generator\": \"m\"}");
        post(cases, "null response", GENERATIONS,
            "{\"prompt\": " + GOOD_PROMPT + ", \"response\": null, \"generator\": \"m\"}");
        post(cases, "missing response", GENERATIONS, "{\"prompt\": " + GOOD_PROMPT + ", \"generator\": \"m\"}");
        post(cases, "missing prompt", GENERATIONS, "{\"response\": \"7\", \"generator\": \"m\"}");
        post(cases, "empty response", GENERATIONS,
            "{\"prompt\": " + GOOD_PROMPT + ", \"response\": \"\", \"generator\": \"m\"}");
        post(cases, "empty prompt", GENERATIONS, "{\"prompt\": \"\", \"response\": \"7\", \"generator\": \"m\"}");
        post(cases, "unknown role", GENERATIONS, "{\"prompt\": [{\"role\": \"robot\", \"content\": \"hi\"}], "
            + "\"response\": \"7\", \"generator\": \"m\"}");
        post(cases, "huge text", GENERATIONS, "{\"prompt\": " + GOOD_PROMPT + ", \"response\": \""
            + "x".repeat(MAX_TEXT_BYTES + 1) + "\", \"generator\": \"m\"}");
        post(cases, "huge body", GENERATIONS, "[" + ("{\"prompt\": " + GOOD_PROMPT + ", \"response\": \"7\", "
            + "\"generator\": \"m\"},").repeat(MAX_REQUEST_BYTES / 60) + "{}]");
        cases.add(new Case("invalid UTF-8", "POST", GENERATIONS, JSON, concat(
            "{\"prompt\": " + GOOD_PROMPT + ", \"response\": \"", new byte[] {(byte) 0xC3, (byte) 0x28}, "\", \"generator\": \"m\"}")));
        post(cases, "empty body", GENERATIONS, "");
        post(cases, "empty array", GENERATIONS, "[]");
        post(cases, "chosen == rejected", PAIRS, "{\"prompt\": " + GOOD_PROMPT + ", \"chosen\": \"7\", \"rejected\": \"7\"}");
        post(cases, "pair without rejected", PAIRS, "{\"prompt\": " + GOOD_PROMPT + ", \"chosen\": \"7\"}");
        post(cases, "pair with empty chosen", PAIRS, "{\"prompt\": " + GOOD_PROMPT + ", \"chosen\": \"\", \"rejected\": \"7\"}");
        post(cases, "unknown pair format", PAIRS + "?format=csv", "{\"prompt\": " + GOOD_PROMPT
            + ", \"chosen\": \"7\", \"rejected\": \"11\"}");
        post(cases, "unknown label source", PAIRS + "?label_source=oracle", "{\"prompt\": " + GOOD_PROMPT
            + ", \"chosen\": \"7\", \"rejected\": \"11\"}");
        post(cases, "unknown query parameter", GENERATIONS + "?colour=red", "{}");
        post(cases, "query parameter twice", GENERATIONS + "?source=a&source=b", "{}");
        post(cases, "bad boolean flag", GENERATIONS + "?partial=maybe", "{}");
        cases.add(new Case("unknown content type", "POST", GENERATIONS, "text/csv",
            "prompt,response\nhi,7\n".getBytes(StandardCharsets.UTF_8)));
        cases.add(new Case("wrong method", "GET", GENERATIONS, null, null));
        cases.add(new Case("unknown path", "POST", "/v1/nothing-here", JSON, "{}".getBytes(StandardCharsets.UTF_8)));
        return cases;
    }

    /** Sends every case; the answers in the order of {@link #cases()}. */
    static List<Answer> send(String baseUrl) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectMapper json = new ObjectMapper();
        List<Answer> answers = new ArrayList<>();
        for (Case c : cases()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + c.path()))
                .timeout(Duration.ofSeconds(60));
            if (c.contentType() != null) {
                request.header("Content-Type", c.contentType());
            }
            request.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(c.body()));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            answers.add(new Answer(c.name(), response.statusCode(), reason(json, response.body())));
        }
        return answers;
    }

    private static String reason(ObjectMapper json, String body) {
        try {
            JsonNode node = json.readTree(body);
            String error = node.path("error").asText(null);
            JsonNode first = node.path("rejected").path(0);
            // the per-item problem names the field and why: the reason a producer acts on
            return first.isMissingNode() ? error
                : error + " -- " + first.path("field").asText() + ": " + first.path("reason").asText();
        } catch (IOException e) {
            return null; // not the JSON error body promised: counts as a refusal without a reason
        }
    }

    private static void post(List<Case> cases, String name, String path, String body) {
        cases.add(new Case(name, "POST", path, JSON, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }
}
