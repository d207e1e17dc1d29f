package io.prefstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class AvroTrustTest {

    @Test
    void avroDoesNotTrustGeneratedClassesByDefault() {
        assertThat(ClassSecurityValidator.DEFAULT.isTrusted(Generation.class))
            .as("why AvroTrust exists").isFalse();
    }

    @Test
    void installTrustsExactlyTheGeneratedClasses() {
        AvroTrust.install();
        AvroTrust.install();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(Generation.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(Role.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(String.class)).as("defaults kept").isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(PrefIds.class)).isFalse();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(java.io.File.class)).isFalse();
    }

    @Test
    void aFreshJvmReadsGeneratedRecordsWithPlainAvroApis() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), PlainAvroReadMain.class.getName())
            .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("without AvroTrust Avro throws SecurityException 'Forbidden io.prefstream.schemas...'")
            .doesNotContain("Forbidden").contains("ok");
        assertThat(child.exitValue()).isZero();
    }

    @Test
    void plainSpecificDatumReadersWorkAfterInstall() throws IOException {
        AvroTrust.install();
        Verdict verdict = VerdictFixture.verdict();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Verdict.class).write(verdict, encoder);
        encoder.flush();

        Verdict read = new SpecificDatumReader<>(Verdict.class)
            .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read).isEqualTo(verdict);
        assertThat(read.getEvidence().getModels()).extracting(ModelRef::getName).containsExactly("rm-best", "rm-gold");
        assertThat(List.of(read.getPath(), read.getDecision())).containsExactly(CurationPath.FLIPPED, Decision.ACCEPT);
    }
}
