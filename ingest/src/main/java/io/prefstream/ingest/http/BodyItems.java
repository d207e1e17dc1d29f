package io.prefstream.ingest.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.prefstream.ingest.read.LineSource;
import io.prefstream.ingest.read.SourceLine;
import io.prefstream.ingest.validate.Problem;

/**
 * Splits a request body into its items, numbered from 0: the one JSON object of an
 * {@code application/json} body, or each non-blank line of an NDJSON body. Each item is decoded as
 * strict UTF-8 and held to the per-record size limit on its own.
 */
final class BodyItems {
    /** One item: its text, or the problem that kept it from being read. */
    record Item(int index, String text, Problem problem) {}

    private BodyItems() {}

    static List<Item> read(BodyType type, InputStream body, int maxRecordBytes) throws IOException {
        return type == BodyType.SINGLE ? single(body, maxRecordBytes) : ndjson(body, maxRecordBytes);
    }

    private static List<Item> single(InputStream body, int maxRecordBytes) throws IOException {
        byte[] bytes = body.readAllBytes();
        if (bytes.length > maxRecordBytes) {
            return List.of(new Item(0, null, Problem.tooLarge("record",
                "item of " + bytes.length + " bytes exceeds the limit of " + maxRecordBytes + " bytes per record")));
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
            return text.isBlank() ? List.of() : List.of(new Item(0, text, null));
        } catch (CharacterCodingException e) {
            return List.of(new Item(0, null, new Problem("record", "not valid UTF-8")));
        }
    }

    private static List<Item> ndjson(InputStream body, int maxRecordBytes) throws IOException {
        List<Item> items = new ArrayList<>();
        try (LineSource lines = LineSource.of(body, maxRecordBytes)) {
            for (SourceLine line = lines.next(); line != null; line = lines.next()) {
                if (line.isReadable() && line.text().isBlank()) {
                    continue;
                }
                items.add(new Item(items.size(), line.text(), line.problem()));
            }
        }
        return items;
    }
}
