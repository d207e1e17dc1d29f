package io.prefstream.ingest.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import io.prefstream.ingest.validate.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineSourceTest {
    @TempDir
    Path dir;

    private static List<SourceLine> lines(Path file, int maxBytes) throws IOException {
        List<SourceLine> out = new ArrayList<>();
        try (LineSource source = LineSource.open(file, maxBytes)) {
            for (SourceLine line = source.next(); line != null; line = source.next()) {
                out.add(line);
            }
            assertThat(source.bytesConsumed()).isEqualTo(source.size());
        }
        return out;
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    @Test
    void gzipIsDetectedByContentNotByName() throws IOException {
        byte[] text = "{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
        List<SourceLine> plain = lines(write("plain.jsonl.gz", text, false), 100);
        List<SourceLine> gzipped = lines(write("gzipped.jsonl", text, true), 100);

        assertThat(plain).extracting(SourceLine::text).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(gzipped).isEqualTo(plain);
    }

    @Test
    void keepsLineNumbersStripsCrLfAndBomAndReadsALastLineWithoutNewline() throws IOException {
        byte[] text = "\uFEFFone\r\n\r\nthree\nfour".getBytes(StandardCharsets.UTF_8);
        List<SourceLine> read = lines(write("f", text, false), 100);

        assertThat(read).extracting(SourceLine::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(read).extracting(SourceLine::text).containsExactly("one", "", "three", "four");
    }

    @Test
    void reportsInvalidUtf8WithItsByteOffsetAndGoesOn() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("{\"x\":\"ab".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3); // a lead byte with no continuation
        bytes.write("\"}\nok\n".getBytes(StandardCharsets.UTF_8));
        List<SourceLine> read = lines(write("f", bytes.toByteArray(), true), 100);

        assertThat(read.get(0).problem()).isEqualTo(new Problem("record", "not valid UTF-8: bad byte 0xc3 at byte 9 of the line"));
        assertThat(read.get(1).text()).isEqualTo("ok");
    }

    @Test
    void skipsAnOverlongLineWithoutBufferingItAndGoesOn() throws IOException {
        String big = "x".repeat(200_000);
        List<SourceLine> read = lines(write("f", ("short\n" + big + "\nafter\n").getBytes(StandardCharsets.UTF_8), false), 1000);

        assertThat(read).hasSize(3);
        assertThat(read.get(1).problem()).isEqualTo(Problem.tooLarge("record",
            "line of 200000 bytes exceeds the limit of 1000 bytes per record"));
        assertThat(read.get(2).text()).isEqualTo("after");
    }
}
