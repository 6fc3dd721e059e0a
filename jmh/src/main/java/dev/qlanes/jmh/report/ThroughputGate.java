package dev.qlanes.jmh.report;

import dev.qlanes.jmh.cases.Bench;
import dev.qlanes.jmh.cases.GateRatio;
import dev.qlanes.jmh.cases.KernelCase;
import dev.qlanes.jmh.cases.KernelCases;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The CI throughput gate: measures the {@link Profile#GATE} benchmarks and fails when a throughput
 * <em>ratio</em> measured in this run falls more than {@link #MARGIN} below its committed baseline. The ratios are
 * the {@code gate=} fields of the registry's cases ({@code kernel-cases.txt}); their baselines are keyed by case id. Absolute
 * times vary too much across shared machines to gate on; ratios of two implementations measured in the same
 * JVM run on the same machine do not (much).
 */
final class ThroughputGate {
    private ThroughputGate() {}

    /** A ratio may fall this far below its baseline (a shared 2-core machine moves ratios by ~10-20%). */
    static final double MARGIN = 0.30;
    /** Where the baseline lives in the source tree (relative to the repository root), for deliberate updates. */
    static final Path BASELINE_SOURCE = Path.of("jmh/src/main/resources/gate-baseline.properties");
    private static final String BASELINE_RESOURCE = "/gate-baseline.properties";

    /**
     * The gated ratios, one per {@code gate=} ratio of each gated registry case, keyed {@code ID.FAST/SLOW} (e.g.
     * {@code qs8-dot-1024.qlanes/lucene}), in registry order; a ratio whose results are missing is NaN (and fails).
     */
    static Map<String, Double> ratios(Run run, KernelCases registry) {
        Map<String, Double> r = new LinkedHashMap<>();
        for (KernelCase c : registry.gated()) {
            Bench bench = c.gateBench().orElseThrow();
            for (GateRatio g : c.gate()) {
                r.put(c.gateKey(g), ratio(run, bench.benchmark(), g.slow(), g.fast(), bench.params(c)));
            }
        }
        return r;
    }

    /** How many times faster {@code fast} is than {@code slow}: median time of slow / median time of fast. */
    private static double ratio(Run run, String benchmark, String slow, String fast, Map<String, String> params) {
        double s = run.find(benchmark, slow, params).map(Run.Result::medianNs).orElse(Double.NaN);
        double f = run.find(benchmark, fast, params).map(Run.Result::medianNs).orElse(Double.NaN);
        return s / f;
    }

    static int run(List<String> args) throws Exception {
        boolean update = args.remove("--update-baseline");
        Run run = new Run("gate", Map.of(), Run.results(BenchmarkReport.measure(Profile.GATE, null)));
        Map<String, Double> measured = ratios(run, KernelCases.registry());
        if (update) {
            writeBaseline(measured);
            return 0;
        }
        return check(measured, loadBaseline());
    }

    /** Prints the table and returns the exit status: 0 when every ratio holds, 1 otherwise. */
    static int check(Map<String, Double> measured, Map<String, Double> baseline) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-60s %9s %9s %9s  %s%n", "ratio (higher is better)", "measured", "baseline",
                "minimum", "verdict");
        int failures = 0;
        for (Map.Entry<String, Double> e : measured.entrySet()) {
            Double base = baseline.get(e.getKey());
            double min = base == null ? Double.NaN : base * (1 - MARGIN);
            boolean ok = base == null || e.getValue() >= min;
            if (!ok) {
                failures++;
            }
            System.out.printf(Locale.ROOT, "%-60s %9.2f %9s %9s  %s%n", e.getKey(), e.getValue(),
                    base == null ? "-" : String.format(Locale.ROOT, "%.2f", base),
                    base == null ? "-" : String.format(Locale.ROOT, "%.2f", min),
                    base == null ? "no baseline" : ok ? "ok" : "REGRESSED");
        }
        System.out.printf(Locale.ROOT, "%nmargin: a ratio fails when it falls more than %.0f%% below its baseline.%n",
                MARGIN * 100);
        System.out.println("To update the baseline deliberately (after an intended change, on the CI machine kind): "
                + "./bench gate --update-baseline, then commit " + BASELINE_SOURCE + ".");
        if (failures > 0) {
            System.out.println("qlanes gate: " + failures + " ratio(s) regressed");
            return 1;
        }
        System.out.println("qlanes gate: all ratios within margin");
        return 0;
    }

    static Map<String, Double> loadBaseline() throws IOException {
        try (InputStream in = ThroughputGate.class.getResourceAsStream(BASELINE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(BASELINE_RESOURCE + " is missing from the benchmarks jar");
            }
            Properties p = new Properties();
            p.load(in);
            Map<String, Double> m = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> m.put(k, Double.parseDouble(p.getProperty(k))));
            return m;
        }
    }

    private static void writeBaseline(Map<String, Double> measured) throws IOException {
        StringBuilder sb = new StringBuilder("# CI throughput gate baseline: ratios of medians measured in one run\n"
                + "# (higher is better). Written by ./bench gate --update-baseline; review before committing.\n");
        measured.forEach((k, v) -> sb.append(k).append('=').append(String.format(Locale.ROOT, "%.2f", v))
                .append('\n'));
        Files.writeString(BASELINE_SOURCE, sb.toString());
        System.out.println(sb);
        System.out.println("qlanes gate: baseline written to " + BASELINE_SOURCE);
        new Properties().load(new StringReader(sb.toString())); // the file must stay loadable
    }
}
