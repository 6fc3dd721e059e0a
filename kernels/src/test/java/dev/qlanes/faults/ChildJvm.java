package dev.qlanes.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@link FaultProbe} in a separate JVM, so that a fault that kills a JVM kills that one and not the test run:
 * the same {@code java} as the running tests (the toolchain's JDK 25), the same class path, the Vector API module,
 * and HotSpot's crash report written to a temporary folder the result lists.
 */
final class ChildJvm {
    /** Longest a probe may run: the slowest warms a 4 MiB layer up under C2 on a loaded 2-core machine. */
    private static final long TIMEOUT_SECONDS = 120;

    private ChildJvm() {}

    /** What a child JVM did: its exit code, its output (stdout and stderr), and the crash reports it wrote. */
    record Result(int exitCode, String output, List<Path> crashReports) {
        /** The text after {@code OUTCOME } on the probe's last such line, or null when it printed none. */
        String outcome() {
            String found = null;
            for (String line : output.split("\n")) {
                if (line.startsWith(FaultProbe.OUTCOME)) {
                    found = line.substring(FaultProbe.OUTCOME.length()).trim();
                }
            }
            return found;
        }

        /** The first crash report's text, or "" when there is none. */
        String crashReport() {
            try {
                return crashReports.isEmpty() ? "" : Files.readString(crashReports.get(0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", " + crashReports.size() + " crash report(s), output:\n" + output;
        }
    }

    /** Runs {@code FaultProbe args...} with {@code jvmFlags} and waits for it. */
    static Result run(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        Path reports = Files.createTempDirectory("qlanes-child-jvm");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("the running JVM's java command is unknown")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "--add-modules", "jdk.incubator.vector",
                "-XX:+IgnoreUnrecognizedVMOptions", "--sun-misc-unsafe-memory-access=allow",
                "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + reports.resolve("hs_err_pid%p.log")));
        command.addAll(jvmFlags);
        command.add(FaultProbe.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("child JVM ran past " + TIMEOUT_SECONDS + " s: " + command + "\n"
                    + output.getNow("(no output yet)"));
        }
        List<Path> crashReports;
        try (Stream<Path> files = Files.list(reports)) {
            crashReports = files.toList();
        }
        return new Result(process.exitValue(), output.join(), crashReports);
    }
}
