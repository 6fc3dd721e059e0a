package dev.qlanes.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.jr.ob.JSON;

/**
 * The same-run ratios of {@link XnnpackGemmBenchmark}: for each JMH JSON file given (one run, any shapes) and each
 * shape in it, the median times of the four methods and {@code time_xnnpack / time_qlanes} (above 1: qlanes is
 * faster), as a Markdown table on standard output. Ratios are only formed within one file, never across runs:
 * {@code java -cp benchmarks.jar dev.qlanes.jmh.XnnpackRatioTable RUN.json...}.
 */
public final class XnnpackRatioTable {
    private XnnpackRatioTable() {}

    static final String BENCHMARK = XnnpackGemmBenchmark.class.getName();
    static final List<String> METHODS = List.of("qlanesFullInteger", "qlanesHybrid", "xnnpackQs8", "xnnpackF32");

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: XnnpackRatioTable RUN.json... (JMH JSON of XnnpackGemmBenchmark)");
            System.exit(2);
        }
        System.out.println("| shape | run | full-integer µs | hybrid µs | XNNPACK qs8 µs | XNNPACK f32 µs "
                + "| qs8 / full-integer | qs8 / hybrid | f32 / hybrid |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String file : args) {
            Path path = Path.of(file);
            for (Map.Entry<String, Map<String, Double>> e : medians(Files.readString(path)).entrySet()) {
                System.out.println(row(e.getKey(), path.getFileName().toString(), e.getValue()));
            }
        }
    }

    /** Shape → method → median in microseconds per operation, in the order the file lists them. */
    static Map<String, Map<String, Double>> medians(String json) throws IOException {
        Map<String, Map<String, Double>> byShape = new LinkedHashMap<>();
        for (Object o : JSON.std.listFrom(json)) {
            Map<?, ?> result = (Map<?, ?>) o;
            String benchmark = (String) result.get("benchmark");
            int dot = benchmark.lastIndexOf('.');
            if (!benchmark.substring(0, dot).equals(BENCHMARK)) {
                continue;
            }
            Map<?, ?> primary = (Map<?, ?>) result.get("primaryMetric");
            if (!"us/op".equals(primary.get("scoreUnit"))) {
                throw new IllegalArgumentException(benchmark + ": unit " + primary.get("scoreUnit") + ", expected us/op");
            }
            double median = ((Number) ((Map<?, ?>) primary.get("scorePercentiles")).get("50.0")).doubleValue();
            String shape = (String) ((Map<?, ?>) result.get("params")).get("fcShape");
            byShape.computeIfAbsent(shape, s -> new LinkedHashMap<>()).put(benchmark.substring(dot + 1), median);
        }
        return byShape;
    }

    static String row(String shape, String run, Map<String, Double> medians) {
        List<String> cells = new ArrayList<>(List.of(shape, run));
        for (String m : METHODS) {
            cells.add(format(medians.get(m), "%.1f"));
        }
        cells.add(ratio(medians, "xnnpackQs8", "qlanesFullInteger"));
        cells.add(ratio(medians, "xnnpackQs8", "qlanesHybrid"));
        cells.add(ratio(medians, "xnnpackF32", "qlanesHybrid"));
        return "| " + String.join(" | ", cells) + " |";
    }

    private static String ratio(Map<String, Double> medians, String peer, String qlanes) {
        Double p = medians.get(peer);
        Double q = medians.get(qlanes);
        return p == null || q == null ? "–" : format(p / q, "%.2f");
    }

    private static String format(Double value, String pattern) {
        return value == null ? "–" : String.format(Locale.ROOT, pattern, value);
    }
}
