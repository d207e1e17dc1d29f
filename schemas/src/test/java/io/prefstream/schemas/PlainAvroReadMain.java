package io.prefstream.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Run in a fresh JVM by {@link AvroTrustTest}: writes and reads a Verdict with plain Avro APIs, never
 * touching AvroTrust or the serdes, and prints "ok" if the record came back equal.
 */
public final class PlainAvroReadMain {
    private PlainAvroReadMain() {
    }

    public static void main(String[] args) throws IOException {
        Verdict verdict = VerdictFixture.verdict();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Verdict.class).write(verdict, encoder);
        encoder.flush();
        Verdict read = new SpecificDatumReader<>(Verdict.class)
            .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        System.out.println(read.equals(verdict) ? "ok" : "different");
    }
}
