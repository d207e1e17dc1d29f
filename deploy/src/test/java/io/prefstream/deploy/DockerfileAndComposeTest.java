package io.prefstream.deploy;

import static io.prefstream.deploy.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class DockerfileAndComposeTest {
    private static final List<String> PREFSTREAM_SERVICES = List.of("registry", "ingest-server", "pairing",
        "consistency", "labeler", "sink", "lag-exporter");

    @Test
    void theDockerfileBuildsWithTheWrapperAndRunsTheLauncherAsNonRoot() throws IOException {
        List<String> lines = Files.readAllLines(Manifests.file("docker/Dockerfile")).stream()
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(froms).as("multi-stage").hasSize(2);
        assertThat(froms.get(0)).endsWith(" AS build").contains("-jdk");
        assertThat(froms.get(1)).contains("-jre");
        assertThat(String.join("\n", lines)).contains("./mvnw -B").contains("COPY --from=build");

        int runtimeStart = lines.indexOf(froms.get(1));
        List<String> runtime = lines.subList(runtimeStart, lines.size());
        List<String> users = runtime.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).as("the runtime stage sets a user").isNotEmpty();
        String user = users.get(users.size() - 1).substring("USER ".length()).split(":")[0];
        assertThat(user).isNotIn("0", "root");
        assertThat(Integer.parseInt(user)).as("numeric, so runAsNonRoot can verify it").isPositive();
        assertThat(runtime).anySatisfy(l -> assertThat(l)
            .isEqualTo("ENTRYPOINT [\"java\", \"-jar\", \"app/target/prefstream.jar\"]"));
        assertThat(runtime).contains("EXPOSE 9400");
        assertThat(runtime.stream().filter(l -> l.startsWith("WORKDIR ")).reduce((a, b) -> b).orElseThrow())
            .as("the jar path in ENTRYPOINT is relative to the workdir").isEqualTo("WORKDIR /opt/prefstream");
        assertThat(runtime).anySatisfy(l -> assertThat(l).contains("app/target/prefstream.jar").startsWith("COPY --from=build"));
        Manifests.file("docker/Dockerfile.dockerignore");
    }

    @Test
    void composeRunsEveryServiceWithTritonOnAGpuAndStagesAsNonRoot() {
        Map<String, Object> compose = Manifests.yaml(Manifests.file("compose/compose.yaml"));
        Map<String, Object> services = at(compose, "services");
        assertThat(services).containsKeys("kafka", "triton", "prometheus", "grafana");
        for (String name : PREFSTREAM_SERVICES) {
            Map<String, Object> service = at(services, name);
            assertThat((String) at(service, "image")).as(name).startsWith("prefstream:");
            assertThat((String) at(service, "build", "dockerfile")).isEqualTo("deploy/docker/Dockerfile");
            assertThat((String) at(service, "user")).as(name).isEqualTo("10001:10001");
            List<String> command = at(service, "command");
            assertThat(command).as(name).containsSubsequence("--config", "/etc/prefstream/prefstream.properties");
            List<String> volumes = at(service, "volumes");
            assertThat(volumes).contains("./prefstream.properties:/etc/prefstream/prefstream.properties:ro");
        }
        List<Map<String, Object>> devices = at(services, "triton", "deploy", "resources", "reservations", "devices");
        assertThat(devices).singleElement().satisfies(d -> {
            assertThat(d).containsEntry("driver", "nvidia");
            assertThat((List<String>) d.get("capabilities")).contains("gpu");
        });
        assertThat((List<String>) at(services, "triton", "volumes")).contains("../triton:/models:ro");
        assertThat((Map<String, Object>) at(services, "consistency", "depends_on")).containsKey("triton");

        // every bind-mounted file exists next to compose.yaml
        for (Object service : services.values()) {
            Object volumes = ((Map<?, ?>) service).get("volumes");
            if (volumes instanceof List<?> list) {
                for (Object volume : list) {
                    String source = String.valueOf(volume).split(":")[0];
                    if (source.startsWith(".")) {
                        assertThat(Manifests.deployDir().resolve("compose").resolve(source).normalize()).exists();
                    }
                }
            }
        }
    }

    @Test
    void composeScrapesEveryPrefStreamServiceAndLoadsTheRules() throws IOException {
        Map<String, Object> prometheus = Manifests.yaml(Manifests.file("compose/prometheus.yml"));
        List<String> ruleFiles = at(prometheus, "rule_files");
        assertThat(ruleFiles).containsExactly("/etc/prometheus/rules/prefstream-rules.yaml");
        List<String> targets = at(prometheus, "scrape_configs", 0, "static_configs", 0, "targets");
        assertThat(targets).containsExactlyInAnyOrderElementsOf(
            PREFSTREAM_SERVICES.stream().map(s -> s + ":9400").toList());

        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(Manifests.file("compose/prefstream.properties"))) {
            properties.load(reader);
        }
        assertThat(properties).containsEntry("metrics.port", "9400").containsEntry("bootstrap.servers", "kafka:9092")
            .containsEntry("inference.endpoints", "triton:8001").containsEntry("topic.replication.factor", "1");
    }

    @Test
    void theReadmeWalksFromZeroToARunningPipeline() throws IOException {
        String readme = Files.readString(Manifests.file("README.md"));
        for (String step : List.of("docker build -f deploy/docker/Dockerfile", "kubectl apply -k deploy",
            "strimzi", "KEDA", "prefstream lag", "metrics.port", "/readyz", "nvidia.com/gpu")) {
            assertThat(readme).as("README mentions %s", step).containsIgnoringCase(step);
        }
        // every relative link points at a file that exists
        Matcher links = Pattern.compile("\\]\\((?!https?:|#)([^)]+)\\)").matcher(readme);
        while (links.find()) {
            String target = links.group(1).replaceFirst("#.*", "");
            assertThat(Manifests.deployDir().resolve(target).normalize()).as(links.group(1)).exists();
        }
    }
}
