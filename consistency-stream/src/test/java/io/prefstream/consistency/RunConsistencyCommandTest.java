package io.prefstream.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunConsistencyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new RunConsistencyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute(args);
    }

    @Test
    void helpListsEverySettingWithItsDefault() {
        assertThat(run("--help")).isZero();
        String help = out.toString();
        assertThat(help).contains("Usage: consistency", "--config=FILE", "--set=KEY=VALUE");
        for (String key : ConsistencyConfig.definition().names()) {
            assertThat(help).as(key).contains("  " + key + " (");
        }
        assertThat(help).contains("consistency.policy.delta (double, default 0.1)",
            "consistency.policy.flip.enabled (boolean, default true)",
            "inference.reward.best.model (string, default rm-best)",
            "consistency.async.max.pending.records (int, default 1000)",
            "metrics.port (int, default 9400)", "metrics.host (string, default 0.0.0.0)");
    }

    @Test
    void anInvalidSettingIsRejectedNamingTheKey() {
        assertThat(run("--set", "consistency.policy.delta=0.7")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid configuration", "consistency.policy.delta", "0.7");
    }
}
