package dev.qlanes.jmh.report;

import dev.qlanes.jmh.BenchmarkMain;
import dev.qlanes.jmh.cases.KernelCases;
import dev.qlanes.jmh.markdown.Markdown;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tools.jackson.jr.ob.JSON;

/**
 * The main job: runs a benchmark profile and writes a self-contained report folder ({@code report.html},
 * {@code report.md} with its {@code .svg} charts, the raw {@code jmh.json} and {@code machine.json}); renders
 * several such folders side by side; or runs the CI throughput gate.
 * <pre>
 *   run [default|full] [--out DIR] [--label NAME]   benchmark this machine and write the report
 *   render OUT_DIR RUN...                           one report from several runs (folders or JMH JSON files)
 *   gate [--baseline FILE] [--update-baseline]      CI: fail when a throughput ratio regressed
 * </pre>
 */
public final class BenchmarkReport {
    private BenchmarkReport() {}

    /** The report page's style. */
    static final String CSS = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
            + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
            + "code{background:#f3f3f3}";

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        String command = a.isEmpty() ? "run" : a.remove(0);
        switch (command) {
            case "run" -> run(a);
            case "render" -> {
                if (a.size() < 2) {
                    throw new IllegalArgumentException("usage: render OUT_DIR RUN_DIR_OR_JSON...");
                }
                Path out = Path.of(a.remove(0));
                List<Run> runs = new ArrayList<>();
                for (String r : a) {
                    runs.add(Run.load(Path.of(r)));
                }
                write(out, runs, false);
            }
            case "gate" -> System.exit(ThroughputGate.run(a));
            default -> throw new IllegalArgumentException("unknown command '" + command
                    + "', expected run, render or gate");
        }
    }

    private static String option(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return value;
    }

    private static void run(List<String> args) throws IOException, RunnerException {
        String outOption = option(args, "--out", null);
        String label = option(args, "--label", Fingerprint.cpuModel());
        Profile profile = Profile.named(args.isEmpty() ? "default" : args.get(0));
        Path out = outOption != null ? Path.of(outOption) : Path.of("reports",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + profile.name());
        Files.createDirectories(out);
        System.out.println("qlanes: running the '" + profile.name() + "' profile (" + profile.description() + ")");
        Path json = out.resolve("jmh.json");
        Collection<RunResult> results = measure(profile, json);
        Map<String, String> machine = Fingerprint.collect(label);
        Files.writeString(out.resolve("machine.json"), JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT)
                .asString(machine) + "\n");
        write(out, List.of(new Run(label, machine, Run.results(results))), true);
        System.out.println("qlanes: raw results " + json);
    }

    /**
     * Runs a profile's benchmarks with JMH and returns its results; JMH also writes them as JSON to {@code json}
     * when it is not null, for {@code render} to compare runs later.
     */
    static Collection<RunResult> measure(Profile profile, Path json) throws RunnerException {
        KernelCases registry = KernelCases.registry();
        return measure(profile, profile.includes(registry), profile.params(registry), json);
    }

    /** Runs {@code includes} at {@code params} with {@code profile}'s JMH settings; see {@link #measure(Profile, Path)}. */
    static Collection<RunResult> measure(Profile profile, List<String> includes, Map<String, List<String>> params,
            Path json) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .jvmArgsAppend(BenchmarkMain.forkJvmArgs())
                .warmupIterations(profile.warmupIterations())
                .warmupTime(TimeValue.milliseconds(profile.warmupMillis()))
                .measurementIterations(profile.iterations())
                .measurementTime(TimeValue.milliseconds(profile.iterationMillis()))
                .forks(profile.forks());
        if (json != null) {
            options.resultFormat(ResultFormatType.JSON).result(json.toString());
        }
        includes.forEach(options::include);
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            options.param(p.getKey(), p.getValue().toArray(String[]::new));
        }
        if (profile.gcProfiler()) {
            options.addProfiler(GCProfiler.class);
        }
        return new Runner(options.build()).run();
    }

    /** Renders the report for {@code runs} into {@code out}. */
    static void write(Path out, List<Run> runs, boolean withAccuracy) throws IOException {
        Files.createDirectories(out);
        Markdown doc = PerformanceReport.build(runs);
        if (withAccuracy) {
            AccuracySection.append(doc);
        }
        for (Map.Entry<String, String> chart : doc.charts().entrySet()) {
            Files.writeString(out.resolve(chart.getKey()), chart.getValue());
        }
        Files.writeString(out.resolve("report.md"), doc.markdown());
        Files.writeString(out.resolve("report.html"), doc.html("qlanes benchmark report", CSS));
        System.out.println("qlanes: report written to " + out.resolve("report.html") + " and report.md");
    }
}
