package io.prefstream.ingest.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import io.prefstream.registry.RegistryOptions;
import io.prefstream.registry.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one real Schema Registry (the project's own, on the shared broker) per test JVM,
 * resolved as a {@link SchemaRegistryServer} parameter. Register after {@link SharedKafkaBroker}.
 */
public final class SharedRegistry implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SchemaRegistryServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the shared broker's resolver answers by type, so it serves this parameter context too
        EmbeddedKafkaBroker broker = (EmbeddedKafkaBroker) new SharedKafkaBroker().resolveParameter(parameter, context);
        // root-store resources close in reverse order of creation: this registry before the broker
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(SharedRegistry.class, key -> new Resource(broker), Resource.class).server;
    }

    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        final SchemaRegistryServer server;

        Resource(EmbeddedKafkaBroker broker) {
            String topic = SharedKafkaBroker.uniqueName("_schemas");
            createSchemaTopic(broker.bootstrapServers(), topic);
            server = SchemaRegistryServer.start(broker.bootstrapServers(), 0, RegistryOptions.defaults().withTopic(topic));
        }

        /**
         * Creates the registry's topic and waits until the broker describes it. The registry (as of
         * 17:30) creates and at once describes its topic, which fails now and then with
         * UnknownTopicOrPartitionException while the broker's metadata catches up; reported to the lead.
         */
        private static void createSchemaTopic(String bootstrap, String topic) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
                Await.until(Duration.ofSeconds(30), "topic " + topic + " to be described", () -> {
                    try {
                        admin.describeTopics(Set.of(topic)).allTopicNames().get();
                        return true;
                    } catch (ExecutionException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError(e);
                    }
                });
            } catch (ExecutionException e) {
                throw new AssertionError("cannot create " + topic, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
