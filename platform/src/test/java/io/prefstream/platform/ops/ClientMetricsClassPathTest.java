package io.prefstream.platform.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain-client stage (the sink) must be able to bind its consumer's metrics with only kafka-clients on
 * its class path: compiles a caller with javac against this module's test class path minus kafka-streams.
 */
class ClientMetricsClassPathTest {

    @Test
    void plainClientsBindWithoutKafkaStreams(@TempDir Path dir) throws Exception {
        String classPath = Arrays.stream(testClassPath().split(File.pathSeparator))
            .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("kafka-streams"))
            .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).contains("kafka-clients").doesNotContain("kafka-streams");

        String consumerAndProducer = """
            import io.micrometer.core.instrument.MeterRegistry;
            import org.apache.kafka.clients.consumer.Consumer;
            import org.apache.kafka.clients.producer.Producer;
            import io.prefstream.platform.ops.ClientMetrics;
            class PlainStage {
                static void bind(Consumer<?, ?> consumer, Producer<?, ?> producer, MeterRegistry registry) {
                    ClientMetrics.bind(consumer, registry);
                    ClientMetrics.bind(producer, registry);
                }
            }
            """;
        Compilation plain = compile(dir.resolve("plain"), "PlainStage", consumerAndProducer, classPath);
        assertThat(plain.exitCode).as(plain.errors).isZero();
    }

    private record Compilation(int exitCode, String errors) {}

    private static Compilation compile(Path dir, String className, String source, String classPath) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve(className + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = javac.run(null, errors, errors, "-proc:none", "-d", dir.toString(), "-cp", classPath, file.toString());
        return new Compilation(exit, errors.toString(StandardCharsets.UTF_8));
    }

    /** The test class path: Surefire's own property when it forks with a manifest-only jar. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
