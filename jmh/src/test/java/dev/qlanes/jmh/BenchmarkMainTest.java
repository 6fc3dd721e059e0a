package dev.qlanes.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

class BenchmarkMainTest {

    /** {@code -jvmArgsAppend} from the command line reaches the forks, before the flags every fork needs. */
    @Test
    void commandLineJvmArgsAppendIsKept() throws Exception {
        CommandLineOptions cli = new CommandLineOptions("-jvmArgsAppend", "-XX:UseAVX=2 -Dqlanes.x=1", "Foo");
        List<String> expected = new ArrayList<>(List.of("-XX:UseAVX=2", "-Dqlanes.x=1"));
        expected.addAll(List.of(BenchmarkMain.forkJvmArgs()));
        assertEquals(expected, List.copyOf(BenchmarkMain.options(cli).getJvmArgsAppend().get()));
    }

    /** Without it, the forks get exactly the flags every fork needs. */
    @Test
    void withoutCommandLineFlagsTheForkFlagsAlone() throws Exception {
        CommandLineOptions cli = new CommandLineOptions("Foo");
        assertEquals(List.of(BenchmarkMain.forkJvmArgs()),
                List.copyOf(BenchmarkMain.options(cli).getJvmArgsAppend().get()));
    }
}
