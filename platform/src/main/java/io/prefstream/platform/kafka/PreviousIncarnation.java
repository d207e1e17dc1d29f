package io.prefstream.platform.kafka;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Properties;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a broker that stopped uncleanly starts again: runs its controller alone until the controller has fenced
 * the broker's previous incarnation, then stops it cleanly.
 *
 * <p>Why: the metadata log of a node killed while running still says that the node leads every partition. Started
 * directly on it, the broker acts on that stale image: its transaction coordinator reloads and re-sends the
 * markers of every transaction caught between PREPARE_COMMIT (or PREPARE_ABORT) and its markers, and moments
 * later the controller fences the old incarnation, leaving every partition briefly without a leader. A marker sent
 * in that window finds no leader; Kafka's marker channel takes the partition for deleted and completes the
 * transaction without it, so the partition keeps an open transaction forever (read_committed readers stop at it,
 * offset fetches of a group that committed in it stay UNSTABLE). Once the old incarnation is fenced in the
 * metadata log, the broker starts without leadership and its coordinators load only after it is unfenced, when
 * every partition has its leader again.
 */
final class PreviousIncarnation {
    private static final Logger log = LoggerFactory.getLogger(PreviousIncarnation.class);
    private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How long the lone controller waits for heartbeats of the old incarnation before fencing it. */
    private static final String SESSION_TIMEOUT_MS = "1000";
    private static final String HEARTBEAT_INTERVAL_MS = "500";
    private static final ObjectName FENCED_BROKERS = objectName("kafka.controller:type=KafkaController,name=FencedBrokerCount");

    private PreviousIncarnation() {}

    /**
     * @param brokerProperties the node's combined broker-and-controller properties (a single node)
     * @param controllerPort   the port of its CONTROLLER listener
     */
    static void fence(Properties brokerProperties, int controllerPort) {
        Properties controller = new Properties();
        controller.putAll(brokerProperties);
        controller.put("process.roles", "controller");
        controller.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        controller.remove("advertised.listeners");
        controller.remove("inter.broker.listener.name");
        controller.put("broker.session.timeout.ms", SESSION_TIMEOUT_MS);
        // validated against the session timeout even on a node without a broker
        controller.put("broker.heartbeat.interval.ms", HEARTBEAT_INTERVAL_MS);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(controller), Time.SYSTEM);
        server.startup();
        try {
            awaitFenced();
            log.info("stopped uncleanly before: the previous incarnation of this broker is fenced");
        } finally {
            server.shutdown();
            server.awaitShutdown();
        }
    }

    /** The lone controller's own count of fenced brokers, as it exports it (JMX, like every Kafka metric). */
    private static void awaitFenced() {
        long deadline = System.nanoTime() + FENCE_TIMEOUT.toNanos();
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try {
            while (!mbeans.isRegistered(FENCED_BROKERS) || ((Number) mbeans.getAttribute(FENCED_BROKERS, "Value")).intValue() < 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the controller did not fence the previous broker within " + FENCE_TIMEOUT);
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fencing the previous broker incarnation", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot read the controller's " + FENCED_BROKERS + ": " + e.getMessage(), e);
        }
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
