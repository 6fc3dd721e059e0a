package dev.qlanes.jmh.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One benchmark run: the machine it ran on and its JMH results, loaded from a run folder ({@code jmh.json}
 * and {@code machine.json}) or from a bare JMH JSON file (machine unknown).
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

    static Run load(Path path) throws IOException {
        Path jmh = Files.isDirectory(path) ? path.resolve("jmh.json") : path;
        Path machineFile = Files.isDirectory(path) ? path.resolve("machine.json")
                : path.resolveSibling(path.getFileName().toString().replaceFirst("\\.json$", "") + ".machine.json");
        Map<String, String> machine = new LinkedHashMap<>();
        if (Files.exists(machineFile)) {
            ((Map<?, ?>) Json.parse(Files.readString(machineFile))).forEach((k, v) -> machine.put((String) k,
                    String.valueOf(v)));
        }
        String label = machine.getOrDefault("label", path.getFileName().toString());
        return new Run(label, machine, parseResults(Files.readString(jmh)));
    }

    @SuppressWarnings("unchecked")
    static List<Result> parseResults(String json) {
        List<Result> results = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(json)) {
            Map<String, Object> entry = (Map<String, Object>) o;
            String full = (String) entry.get("benchmark");
            String[] parts = full.split("\\.");
            Map<String, String> params = new LinkedHashMap<>();
            Object p = entry.get("params");
            if (p instanceof Map<?, ?> map) {
                map.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            }
            Map<String, Object> primary = (Map<String, Object>) entry.get("primaryMetric");
            double scale = nanosPer((String) primary.get("scoreUnit"));
            Map<String, Object> percentiles = (Map<String, Object>) primary.get("scorePercentiles");
            double median = percentiles != null && percentiles.get("50.0") instanceof Double d ? d
                    : (Double) primary.get("score");
            double error = primary.get("scoreError") instanceof Double d ? d : Double.NaN;
            double alloc = Double.NaN;
            Object secondary = entry.get("secondaryMetrics");
            if (secondary instanceof Map<?, ?> sec) {
                for (Map.Entry<?, ?> e : sec.entrySet()) {
                    if (((String) e.getKey()).endsWith("gc.alloc.rate.norm")) {
                        alloc = (Double) ((Map<String, Object>) e.getValue()).get("score");
                    }
                }
            }
            results.add(new Result(parts[parts.length - 2], parts[parts.length - 1], params, median * scale,
                    error * scale, alloc));
        }
        return results;
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
