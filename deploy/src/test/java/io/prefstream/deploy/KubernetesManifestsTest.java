package io.prefstream.deploy;

import static io.prefstream.deploy.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.prefstream.schemas.topic.Topic;
import io.prefstream.schemas.topic.Topics;
import org.junit.jupiter.api.Test;

class KubernetesManifestsTest {
    /** Stage Deployments and the command each runs (the launcher's subcommands). */
    private static final Map<String, List<String>> STAGE_COMMANDS = Map.of(
        "ingest-server", List.of("ingest-server"),
        "pairing", List.of("run", "pairing"),
        "consistency", List.of("run", "consistency"),
        "labeler", List.of("run", "labeler"),
        "sink", List.of("run", "sink"),
        "registry", List.of("registry"),
        "lag-exporter", List.of("lag"));
    /** Stream stages KEDA scales, with their Kafka Streams application id (= consumer group). */
    private static final Map<String, String> SCALED_GROUPS = Map.of(
        "pairing", "prefstream-pairing", "consistency", "prefstream-consistency", "labeler", "prefstream-labeler");

    private static List<Map<String, Object>> all() {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Path file : Manifests.filesUnder(Manifests.deployDir().resolve("k8s"), ".yaml")) {
            documents.addAll(Manifests.yamlDocuments(file));
        }
        return documents;
    }

    private static List<Map<String, Object>> ofKind(String kind) {
        return all().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(at(d, "metadata", "name"))).findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    @Test
    void everyManifestParsesAndHasApiVersionKindNameAndNamespace() {
        List<Map<String, Object>> documents = all();
        assertThat(documents).hasSizeGreaterThan(30);
        for (Map<String, Object> document : documents) {
            assertThat(document).containsKeys("apiVersion", "kind", "metadata");
            String name = at(document, "metadata", "name");
            assertThat(name).as("metadata.name of a %s", document.get("kind")).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            if (!"Namespace".equals(document.get("kind"))) {
                assertThat((String) at(document, "metadata", "namespace")).as(name).isIn("prefstream", "kafka");
            }
        }
    }

    @Test
    void kustomizationListsEveryManifestAndEveryGeneratedFileExists() {
        Map<String, Object> kustomization = Manifests.yaml(Manifests.file("kustomization.yaml"));
        List<String> resources = at(kustomization, "resources");
        Set<String> manifests = Manifests.filesUnder(Manifests.deployDir().resolve("k8s"), ".yaml").stream()
            .map(f -> Manifests.deployDir().relativize(f).toString()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(resources)).isEqualTo(manifests);
        List<Map<String, Object>> generators = at(kustomization, "configMapGenerator");
        for (Map<String, Object> generator : generators) {
            List<String> files = at(generator, "files");
            for (String file : files) {
                Manifests.file(file.substring(file.indexOf('=') + 1));
            }
        }
    }

    @Test
    void everyPipelineTopicHasAKafkaTopicWithTheCodesPartitionsAndConfigs() {
        Topics topics = new Topics(Map.of("schema.registry.url", "mock://deploy-manifests-test"));
        Map<String, Map<String, Object>> byTopicName = new HashMap<>();
        for (Map<String, Object> kafkaTopic : ofKind("KafkaTopic")) {
            assertThat((String) at(kafkaTopic, "apiVersion")).startsWith("kafka.strimzi.io/");
            assertThat((String) at(kafkaTopic, "metadata", "labels", "strimzi.io/cluster")).isEqualTo("prefstream");
            assertThat((Integer) at(kafkaTopic, "spec", "replicas")).isEqualTo(3);
            byTopicName.put(at(kafkaTopic, "spec", "topicName"), kafkaTopic);
        }
        for (Topic<?, ?> topic : topics.all()) {
            Map<String, Object> manifest = byTopicName.remove(topic.name());
            assertThat(manifest).as("KafkaTopic for %s", topic.name()).isNotNull();
            assertThat((Integer) at(manifest, "spec", "partitions")).as(topic.name()).isEqualTo(topic.partitions());
            Map<String, Object> config = at(manifest, "spec", "config");
            topic.configs().forEach((key, value) ->
                assertThat(String.valueOf(config.get(key))).as(topic.name() + " " + key).isEqualTo(value));
            assertThat(String.valueOf(config.get("min.insync.replicas"))).as(topic.name()).isEqualTo("2");
        }
        assertThat(byTopicName.keySet()).as("KafkaTopics that are not pipeline topics").containsExactly("_schemas");
        assertThat(String.valueOf((Object) at(byTopicName.get("_schemas"), "spec", "config", "cleanup.policy")))
            .isEqualTo("compact");
    }

    @Test
    void everyStageDeploymentRunsItsCommandNonRootWithProbesAndResources() {
        for (Map.Entry<String, List<String>> stage : STAGE_COMMANDS.entrySet()) {
            Map<String, Object> deployment = named("Deployment", stage.getKey());
            Map<String, Object> pod = at(deployment, "spec", "template", "spec");
            assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).as(stage.getKey()).isTrue();
            assertThat((Integer) at(pod, "securityContext", "runAsUser")).as(stage.getKey()).isPositive();
            Map<String, Object> container = at(pod, "containers", 0);
            assertThat((String) at(container, "image")).isEqualTo("prefstream");
            List<String> args = at(container, "args");
            assertThat(args.subList(0, stage.getValue().size())).as(stage.getKey()).isEqualTo(stage.getValue());
            assertThat(args).containsSubsequence("--config", "/etc/prefstream/prefstream.properties");
            assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
            assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();

            assertThat((Integer) at(container, "ports", 0, "containerPort")).isEqualTo(9400);
            assertThat((String) at(container, "ports", 0, "name")).isEqualTo("metrics");
            assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/healthz");
            assertThat((String) at(container, "startupProbe", "httpGet", "path")).isEqualTo("/healthz");
            assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
            assertThat((String) at(container, "livenessProbe", "httpGet", "port")).isEqualTo("metrics");
            assertThat((String) at(container, "readinessProbe", "httpGet", "port")).isEqualTo("metrics");

            assertThat((Object) at(container, "resources", "requests", "cpu")).as(stage.getKey()).isNotNull();
            assertThat((Object) at(container, "resources", "requests", "memory")).as(stage.getKey()).isNotNull();
            assertThat((Object) at(container, "resources", "limits", "memory")).as(stage.getKey()).isNotNull();
            assertThat((String) at(deployment, "spec", "template", "metadata", "labels", "app.kubernetes.io/part-of"))
                .as("scraped by the PodMonitor").isEqualTo("prefstream");
        }
    }

    @Test
    void theSinkHasOneWriterAndStreamStagesMountState() {
        Map<String, Object> sink = named("Deployment", "sink");
        assertThat((Integer) at(sink, "spec", "replicas")).isEqualTo(1);
        assertThat((String) at(sink, "spec", "strategy", "type")).isEqualTo("Recreate");
        for (String stage : SCALED_GROUPS.keySet()) {
            List<Map<String, Object>> mounts = at(named("Deployment", stage), "spec", "template", "spec", "containers", 0,
                "volumeMounts");
            assertThat(mounts).extracting(m -> m.get("mountPath")).contains("/var/lib/prefstream/state", "/tmp");
        }
    }

    @Test
    void tritonRequestsAGpuAndMountsEveryFileOfTheModelRepository() {
        Map<String, Object> triton = named("Deployment", "triton");
        Map<String, Object> container = at(triton, "spec", "template", "spec", "containers", 0);
        assertThat(Integer.parseInt(String.valueOf((Object) at(container, "resources", "limits", "nvidia.com/gpu"))))
            .isGreaterThanOrEqualTo(1);
        assertThat((List<String>) at(container, "args")).contains("--model-repository=/models");
        List<Map<String, Object>> mounts = at(container, "volumeMounts");
        assertThat(mounts).anySatisfy(m -> assertThat(m).containsEntry("name", "model-repository")
            .containsEntry("mountPath", "/models"));
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/v2/health/ready");
        assertThat((Boolean) at(triton, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isTrue();

        List<Map<String, Object>> volumes = at(triton, "spec", "template", "spec", "volumes");
        Map<String, Object> repository = volumes.stream().filter(v -> "model-repository".equals(v.get("name")))
            .findFirst().orElseThrow();
        List<Map<String, Object>> items = at(repository, "configMap", "items");
        Set<String> mounted = items.stream().map(i -> (String) i.get("path")).collect(Collectors.toCollection(TreeSet::new));
        Path repo = Manifests.deployDir().resolve("triton");
        Set<String> files = Manifests.filesUnder(repo, "").stream().map(f -> repo.relativize(f).toString())
            .filter(f -> !f.equals("README.md")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(mounted).as("every model repository file is mounted").isEqualTo(files);

        Map<String, Object> kustomization = Manifests.yaml(Manifests.file("kustomization.yaml"));
        List<Map<String, Object>> generators = at(kustomization, "configMapGenerator");
        Set<String> keys = generators.stream().filter(g -> "triton-model-repository".equals(g.get("name")))
            .flatMap(g -> ((List<String>) g.get("files")).stream()).map(f -> f.substring(0, f.indexOf('=')))
            .collect(Collectors.toSet());
        assertThat(items).allSatisfy(item -> assertThat(keys).contains((String) item.get("key")));
    }

    @Test
    void kedaScalesEachStreamStageOnItsConsumerGroupUpToItsPartitions() {
        for (Map.Entry<String, String> stage : SCALED_GROUPS.entrySet()) {
            Map<String, Object> scaled = named("ScaledObject", stage.getKey());
            assertThat((String) at(scaled, "spec", "scaleTargetRef", "name")).isEqualTo(stage.getKey());
            named("Deployment", stage.getKey());
            Map<String, Object> trigger = at(scaled, "spec", "triggers", 0);
            assertThat(trigger).containsEntry("type", "kafka");
            assertThat((String) at(trigger, "metadata", "consumerGroup")).isEqualTo(stage.getValue());
            assertThat(Integer.parseInt(at(trigger, "metadata", "lagThreshold"))).isPositive();
            assertThat((Integer) at(scaled, "spec", "maxReplicaCount"))
                .as("more replicas than input partitions would sit idle")
                .isLessThanOrEqualTo(new Topics(Map.of("schema.registry.url", "mock://deploy-keda")).pairsRaw().partitions());
        }
        assertThat(ofKind("ScaledObject")).extracting(s -> (String) at(s, "metadata", "name"))
            .doesNotContain("sink");
        assertThat((String) at(named("HorizontalPodAutoscaler", "ingest-server"), "spec", "scaleTargetRef", "name"))
            .isEqualTo("ingest-server");
    }

    @Test
    void thePodMonitorScrapesTheOpsPort() {
        Map<String, Object> monitor = named("PodMonitor", "prefstream");
        assertThat((String) at(monitor, "spec", "podMetricsEndpoints", 0, "port")).isEqualTo("metrics");
        assertThat((String) at(monitor, "spec", "podMetricsEndpoints", 0, "path")).isEqualTo("/metrics");
        assertThat((String) at(monitor, "spec", "selector", "matchLabels", "app.kubernetes.io/part-of"))
            .isEqualTo("prefstream");
    }

    @Test
    void theSharedConfigSetsTheOpsPortAndTheStreamsStateDirTheVolumesMount() {
        String properties = at(named("ConfigMap", "prefstream-config"), "data", "prefstream.properties");
        assertThat(properties).contains("metrics.port=9400", "state.dir=/var/lib/prefstream/state",
            "processing.guarantee=exactly_once_v2", "topic.replication.factor=3");
    }
}
