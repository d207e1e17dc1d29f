package io.prefstream.app.bench;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prefstream.inference.client.InferenceClient;
import io.prefstream.inference.client.InferenceConfig;
import io.prefstream.inference.proto.ModelStatistics;
import io.prefstream.inference.reference.ReferenceInferenceServer;

/**
 * The inference server's own counters (KServe v2 ModelStatistics, as Triton reports them): items
 * inferred and executions per model since the server started. Counting at the server, not in the
 * pipeline, is what makes "RM calls per response" a measurement rather than a claim.
 */
record ServerCounters(long bestItems, long goldItems, long judgeItems, long judgeExecutions, long rmExecutions) {

    /** Reads the counters with a client opened for the purpose. */
    static ServerCounters read(Map<String, String> settings) {
        try (InferenceClient client = new InferenceClient(new InferenceConfig(settings), new SimpleMeterRegistry())) {
            return read(client);
        }
    }

    static ServerCounters read(InferenceClient client) {
        List<ModelStatistics> best = client.statistics(ReferenceInferenceServer.RM_BEST);
        List<ModelStatistics> gold = client.statistics(ReferenceInferenceServer.RM_GOLD);
        List<ModelStatistics> judge = client.statistics(ReferenceInferenceServer.JUDGE);
        return new ServerCounters(items(best), items(gold), items(judge), executions(judge),
            executions(best) + executions(gold));
    }

    ServerCounters minus(ServerCounters before) {
        return new ServerCounters(bestItems - before.bestItems, goldItems - before.goldItems,
            judgeItems - before.judgeItems, judgeExecutions - before.judgeExecutions, rmExecutions - before.rmExecutions);
    }

    private static long items(List<ModelStatistics> stats) {
        return stats.stream().mapToLong(ModelStatistics::getInferenceCount).sum();
    }

    private static long executions(List<ModelStatistics> stats) {
        return stats.stream().mapToLong(ModelStatistics::getExecutionCount).sum();
    }
}
