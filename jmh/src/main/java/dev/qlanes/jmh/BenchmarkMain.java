package dev.qlanes.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, plus the JVM flags every fork needs
 * ({@code --add-modules jdk.incubator.vector}), which the build writes into {@code qlanes-jmh.properties}
 * from the parent POM, where they are defined once.
 */
public final class BenchmarkMain {
    private BenchmarkMain() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
        CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(options(cli)).run();
    }

    /**
     * The command line's options with {@link #forkJvmArgs()} appended to each fork's JVM flags, after any the command
     * line appends itself ({@code -jvmArgsAppend}), which would otherwise be replaced.
     */
    static Options options(CommandLineOptions cli) {
        List<String> append = new ArrayList<>();
        if (cli.getJvmArgsAppend().hasValue()) {
            append.addAll(cli.getJvmArgsAppend().get());
        }
        append.addAll(List.of(forkJvmArgs()));
        return new OptionsBuilder().parent(cli).jvmArgsAppend(append.toArray(String[]::new)).build();
    }

    /** Extra fork JVM flags, e.g. {@code -Dqlanes.forceReference=true} or {@code -Dqlanes.vectorBits=128}. */
    public static final String EXTRA_ARGS_ENV = "QLANES_JMH_JVM_ARGS";

    /** The fork JVM flags from the parent POM's {@code qlanes.vector.args}, plus {@value #EXTRA_ARGS_ENV}. */
    public static String[] forkJvmArgs() {
        try (InputStream in = BenchmarkMain.class.getResourceAsStream("/qlanes-jmh.properties")) {
            Properties p = new Properties();
            p.load(in);
            String extra = System.getenv().getOrDefault(EXTRA_ARGS_ENV, "");
            return (p.getProperty("jvmArgs") + " " + extra).trim().split("\\s+");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
