package io.prefstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefstream.platform.kafka.EmbeddedKafkaBroker;
import io.prefstream.platform.testing.Await;
import io.prefstream.platform.testing.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** `lag --json` against a real Kafka Streams stage whose stream thread hangs: its lag, STALLED, ERR. */
@ExtendWith(SharedKafkaBroker.class)
class StalledStreamsStageTest {

    @Test
    void aStreamsStageWhoseThreadHangsIsReportedStalledWithItsLag(EmbeddedKafkaBroker broker) throws Exception {
        try (LaggingPipeline pipeline = new LaggingPipeline(broker, "consistency", 1)) {
            AtomicBoolean hang = new AtomicBoolean();
            CountDownLatch release = new CountDownLatch(1);
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(pipeline.topic).foreach((key, value) -> {
                if (hang.get()) {
                    try {
                        release.await(); // like a stage stuck on a call that never returns
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, pipeline.group);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("stalled-stage").toString());
            KafkaStreams streams = new KafkaStreams(builder.build(), props);
            try {
                streams.start();
                pipeline.produce(0, 10);
                TopicPartition tp = pipeline.partition(0);
                Await.until(Duration.ofSeconds(60), "the stage to commit 10", () -> committed(pipeline, tp) == 10);

                hang.set(true);
                pipeline.produce(0, 40);

                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cli = new CommandLine(new LagCommand());
                cli.setOut(new PrintWriter(out, true));
                cli.setErr(new PrintWriter(err, true));
                int exit = cli.execute("--bootstrap", broker.bootstrapServers(), "--group-prefix", pipeline.prefix,
                    "--json", "--window", "3", "--interval", "300ms");

                assertThat(exit).as(err.toString()).isZero();
                JsonNode stage = new ObjectMapper().readTree(out.toString()).get("stages").get(0);
                assertThat(stage.get("stage").asText()).isEqualTo("consistency");
                assertThat(stage.get("state").asText()).isEqualTo("STABLE");
                assertThat(stage.get("members").asInt()).isEqualTo(1);
                assertThat(stage.get("lag").asLong()).isEqualTo(40);
                assertThat(stage.get("status").asText()).isEqualTo("ERR");
                assertThat(stage.get("condition").asText()).isEqualTo("STALLED");
                JsonNode partition = stage.get("partitions").get(0);
                assertThat(partition.get("position").asLong()).isEqualTo(10);
                assertThat(partition.get("end").asLong()).isEqualTo(50);
            } finally {
                release.countDown();
                streams.close(Duration.ofSeconds(30));
            }
        }
    }

    private static long committed(LaggingPipeline pipeline, TopicPartition tp) {
        try {
            OffsetAndMetadata offset = pipeline.admin.listConsumerGroupOffsets(pipeline.group)
                .partitionsToOffsetAndMetadata().get().get(tp);
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
