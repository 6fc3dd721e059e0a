package dev.qlanes.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import tools.jackson.jr.ob.JSON;

/**
 * One benchmark run: the machine it ran on and its JMH results, either as JMH's runner returned them in this JVM
 * or loaded from a run folder ({@code jmh.json} and {@code machine.json}) or a bare JMH JSON file (machine unknown),
 * e.g. from another machine.
 */
record Run(String label, Map<String, String> machine, List<Run.Result> results) {

    /**
     * One JMH result with its median, in nanoseconds per operation.
     *
     * @param benchmark      the class's simple name, e.g. {@code DotProductBenchmark}
     * @param method         the {@code @Benchmark} method, e.g. {@code qlanes}
     * @param allocBytesPerOp {@code gc.alloc.rate.norm} when the GC profiler ran, else NaN
     */
    record Result(String benchmark, String method, Map<String, String> params, double medianNs, double errorNs,
            double allocBytesPerOp) {
        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    /** Loads a run folder ({@code jmh.json}, {@code machine.json}) or a JMH JSON file (and its {@code .machine.json}). */
    static Run load(Path path) throws IOException {
        Path jmh = Files.isDirectory(path) ? path.resolve("jmh.json") : path;
        Path machineFile = Files.isDirectory(path) ? path.resolve("machine.json")
                : path.resolveSibling(path.getFileName().toString().replaceFirst("\\.json$", "") + ".machine.json");
        Map<String, String> machine = new LinkedHashMap<>();
        if (Files.exists(machineFile)) {
            JSON.std.mapFrom(Files.readString(machineFile)).forEach((k, v) -> machine.put(k, String.valueOf(v)));
        }
        String label = machine.getOrDefault("label", path.getFileName().toString());
        return new Run(label, machine, parseResults(Files.readString(jmh)));
    }

    /** The results JMH's {@code Runner.run()} returned in this JVM. */
    static List<Result> results(Collection<RunResult> runResults) {
        List<Result> results = new ArrayList<>();
        for (RunResult r : runResults) {
            BenchmarkParams p = r.getParams();
            Map<String, String> params = new LinkedHashMap<>();
            p.getParamsKeys().forEach(k -> params.put(k, p.getParam(k)));
            org.openjdk.jmh.results.Result<?> primary = r.getPrimaryResult();
            org.openjdk.jmh.results.Result<?> alloc = r.getSecondaryResults().entrySet().stream()
                    .filter(e -> e.getKey().endsWith(ALLOC_NORM)).map(Map.Entry::getValue).findFirst().orElse(null);
            results.add(result(p.getBenchmark(), params, primary.getScoreUnit(),
                    primary.getStatistics().getPercentile(50), primary.getScoreError(),
                    alloc == null ? Double.NaN : alloc.getScore()));
        }
        return results;
    }

    /** JMH's JSON result format, as far as the report reads it (other fields are ignored). */
    record JmhJson(String benchmark, Map<String, String> params, Metric primaryMetric,
            Map<String, Metric> secondaryMetrics) {
        /** One metric; JMH writes undefined statistics as {@code "NaN"}, which reads as {@code Double.NaN}. */
        record Metric(double score, double scoreError, String scoreUnit, Map<String, Double> scorePercentiles) {}
    }

    /** The results in a JMH JSON file (e.g. from another machine). */
    static List<Result> parseResults(String json) {
        List<Result> results = new ArrayList<>();
        for (JmhJson e : JSON.std.listOfFrom(JmhJson.class, json)) {
            JmhJson.Metric primary = e.primaryMetric();
            Double median = primary.scorePercentiles() == null ? null : primary.scorePercentiles().get("50.0");
            double alloc = e.secondaryMetrics() == null ? Double.NaN : e.secondaryMetrics().entrySet().stream()
                    .filter(m -> m.getKey().endsWith(ALLOC_NORM)).mapToDouble(m -> m.getValue().score()).findFirst()
                    .orElse(Double.NaN);
            results.add(result(e.benchmark(), e.params() == null ? Map.of() : e.params(), primary.scoreUnit(),
                    median != null ? median : primary.score(), primary.scoreError(), alloc));
        }
        return results;
    }

    /** JMH's label of the GC profiler's bytes allocated per operation (older JMH versions prefix it with '·'). */
    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private static Result result(String benchmark, Map<String, String> params, String unit, double median,
            double error, double alloc) {
        String[] parts = benchmark.split("\\.");
        double scale = nanosPer(unit);
        return new Result(parts[parts.length - 2], parts[parts.length - 1], new LinkedHashMap<>(params),
                median * scale, error * scale, alloc);
    }

    private static double nanosPer(String unit) {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> throw new IllegalArgumentException("unsupported JMH unit " + unit + " (use average time)");
        };
    }

    /** The median of {@code benchmark.method} with exactly these parameter values, if measured. */
    Optional<Result> find(String benchmark, String method, Map<String, String> params) {
        return results.stream().filter(r -> r.benchmark().equals(benchmark) && r.method().equals(method)
                && params.entrySet().stream().allMatch(e -> e.getValue().equals(r.param(e.getKey())))).findFirst();
    }
}
