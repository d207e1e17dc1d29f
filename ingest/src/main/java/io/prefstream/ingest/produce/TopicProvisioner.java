package io.prefstream.ingest.produce;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.prefstream.schemas.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes sure the topics ingest writes to exist before anything is sent, creating missing ones as
 * {@link io.prefstream.schemas.topic.Topics} declares them. It doubles as the up-front check that
 * Kafka is reachable: without it, every send to an unreachable cluster would block for
 * {@code max.block.ms} on its own.
 */
public final class TopicProvisioner {
    private TopicProvisioner() {}

    /**
     * Returns the names of the topics it had to create, once every partition of them has a leader
     * that serves it: producing to a partition the broker has not finished loading is answered
     * NOT_LEADER_OR_FOLLOWER, and the idempotent producer's retries of such first batches were seen
     * to end in OutOfOrderSequenceException on a fresh single-node cluster.
     */
    public static List<String> ensure(Map<String, Object> kafkaClientProperties, List<Topic<?, ?>> topics, Duration timeout) {
        Map<String, Object> properties = new HashMap<>(kafkaClientProperties);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<Topic<?, ?>> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            for (Topic<?, ?> topic : missing) {
                try {
                    admin.createTopics(List.of(topic.newTopic())).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
            List<String> created = missing.stream().map(Topic::name).toList();
            awaitLeaders(admin, created, timeout);
            return created;
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka at " + properties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                + " did not answer within " + timeout.toMillis() + " ms" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (ExecutionException e) {
            String bootstrap = String.valueOf(properties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the admin client's own deadline (same length) can fire before ours
                throw new KafkaException("Kafka at " + bootstrap + " did not answer within " + timeout.toMillis() + " ms: "
                    + e.getCause().getMessage(), e);
            }
            throw new KafkaException("cannot list topics at " + bootstrap + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while checking topics", e);
        }
    }

    private static void awaitLeaders(Admin admin, List<String> topics, Duration timeout)
        throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                boolean led = described.values().stream().allMatch(d -> d.partitions().stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + topics + " have no leader yet");
            }
            Thread.sleep(50);
        }
    }
}
