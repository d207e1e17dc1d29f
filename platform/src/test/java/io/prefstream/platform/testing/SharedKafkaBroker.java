package io.prefstream.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one real in-process KRaft broker per test JVM, started on first use and
 * stopped when the JVM's root test context closes. Tests get isolation from {@link #uniqueName},
 * not from a broker of their own: booting a broker per class would not fit CI.
 *
 * <pre>{@code
 * @ExtendWith(SharedKafkaBroker.class)
 * class MyIT {
 *     @Test void works(EmbeddedKafkaBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class SharedKafkaBroker implements BeforeAllCallback, ParameterResolver {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    /** A topic, group or application id no other test in this JVM uses. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    private static EmbeddedKafkaBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(SharedKafkaBroker.class, key -> new Resource(), Resource.class).broker;
    }

    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        final EmbeddedKafkaBroker broker;

        Resource() {
            try {
                broker = new EmbeddedKafkaBroker(Files.createTempDirectory("prefstream-test-kafka"), 0).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            broker.close();
            deleteQuietly(broker.dataDir());
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
