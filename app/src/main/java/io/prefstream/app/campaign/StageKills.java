package io.prefstream.app.campaign;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import io.prefstream.app.pipeline.StageProcess;

/**
 * SIGKILLs of the stage processes: for each stage, {@code killsPerStage} points drawn from a seeded
 * random generator, as shares of the pairs ended, between {@link #FIRST} and {@link #LAST} so that every
 * kill lands while the stages still have work in flight; each killed process is started again at once.
 * A stage restarted less than {@code minUptime} ago is still starting: its next kill waits. The same
 * seed gives the same plan.
 */
final class StageKills implements Disruption {
    static final double FIRST = 0.05;
    static final double LAST = 0.80;

    private record Kill(String stage, double atShare) {}

    private final PipelineProcesses pipeline;
    private final Duration minUptime;
    private final PrintStream progress;
    private final List<Kill> pending = new ArrayList<>();

    StageKills(PipelineProcesses pipeline, int killsPerStage, long seed, Duration minUptime, PrintStream progress) {
        this.pipeline = pipeline;
        this.minUptime = minUptime;
        this.progress = progress;
        Random random = new Random(seed);
        for (String stage : PipelineProcesses.STAGES) {
            for (int i = 0; i < killsPerStage; i++) {
                pending.add(new Kill(stage, FIRST + (LAST - FIRST) * random.nextDouble()));
            }
        }
        pending.sort(Comparator.comparingDouble(Kill::atShare));
    }

    @Override
    public void onProgress(double endedShare) throws InterruptedException {
        List<Kill> due = pending.stream().filter(k -> k.atShare() <= endedShare).toList();
        for (Kill kill : due) {
            StageProcess stage = pipeline.stage(kill.stage());
            if (stage.uptimeSeconds() < minUptime.toSeconds()) {
                continue;
            }
            progress.printf("campaign: SIGKILL %s at %.0f%% of the pairs ended (planned at %.0f%%, up %.0f s)%n",
                kill.stage(), endedShare * 100, kill.atShare() * 100, stage.uptimeSeconds());
            stage.killAndRestart();
            pending.remove(kill);
        }
    }

    @Override
    public boolean done() {
        return pending.isEmpty();
    }

    @Override
    public String status() {
        return "kills " + pipeline.kills() + " (" + pending.size() + " to go)";
    }
}
