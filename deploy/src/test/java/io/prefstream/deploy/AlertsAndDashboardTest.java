package io.prefstream.deploy;

import static io.prefstream.deploy.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class AlertsAndDashboardTest {

    static List<Map<String, Object>> alertRules() {
        Map<String, Object> file = Manifests.yaml(Manifests.file("prometheus/prefstream-rules.yaml"));
        List<Map<String, Object>> groups = at(file, "groups");
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : groups) {
            rules.addAll(at(group, "rules"));
        }
        return rules;
    }

    /** Non-row panels of the dashboard. */
    static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        Manifests.json(Manifests.file("grafana/prefstream-dashboard.json")).get("panels").forEach(p -> {
            if (!"row".equals(p.path("type").asText())) {
                panels.add(p);
            }
        });
        return panels;
    }

    @Test
    void everyAlertHasExprForSeverityAndAnExplanation() {
        List<Map<String, Object>> rules = alertRules();
        Set<String> names = new HashSet<>();
        for (Map<String, Object> rule : rules) {
            String alert = at(rule, "alert");
            assertThat(names.add(alert)).as("unique alert name %s", alert).isTrue();
            assertThat((String) at(rule, "expr")).as(alert).isNotBlank();
            assertThat((String) at(rule, "for")).as(alert).matches("\\d+[smh]");
            assertThat((String) at(rule, "labels", "severity")).as(alert).isIn("warning", "critical");
            assertThat((String) at(rule, "annotations", "summary")).as(alert).isNotBlank();
            assertThat((String) at(rule, "annotations", "description")).as(alert).isNotBlank();
        }
        // what the issue asks for: lag growing, DLQ rate, circuit open, no sink commit
        assertThat(names).contains("PrefStreamLagGrowing", "PrefStreamDeadLettersLabeler", "PrefStreamDeadLettersInference",
            "PrefStreamInferenceCircuitOpen", "PrefStreamNoSinkCommit");
        assertThat(rules).filteredOn(r -> "PrefStreamLagGrowing".equals(r.get("alert")))
            .singleElement().satisfies(r -> assertThat((String) r.get("expr")).contains("deriv("));
    }

    @Test
    void everyDashboardPanelHasATitleADatasourceAndQueries() {
        JsonNode dashboard = Manifests.json(Manifests.file("grafana/prefstream-dashboard.json"));
        assertThat(dashboard.path("uid").asText()).isEqualTo("prefstream-pipeline");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        dashboard.get("panels").forEach(p -> assertThat(ids.add(p.get("id").asInt())).as("unique id").isTrue());
        List<JsonNode> panels = panels();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(20);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("gridPos").path("w").asInt()).as(title).isPositive();
            assertThat(panel.path("targets").size()).as(title).isPositive();
            panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).as(title).isNotBlank());
        }
        // what the issue asks for: lag, rates, decisions, inference latency and errors, sink commits
        List<String> titles = panels.stream().map(p -> p.path("title").asText()).toList();
        assertThat(titles).contains("Lag by stage", "Consume vs produce rate", "Process rate", "Decisions by route",
            "Latency p50 / p99", "Errors by status", "Sink commits");
    }
}
